// Building the page from data without ever parsing data as HTML: every text
// goes through textContent, so a counterparty named "<script>" stays text.

/**
 * h('a', {href: '#/x', class: 'btn'}, 'text', childNode, [more]) — an
 * element. Attributes named on* take functions (event listeners); false,
 * null and undefined attributes are left out; children may be strings,
 * numbers, nodes, arrays or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces everything inside el with children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{label, cell: row => node|string, class}], rows. */
export function table(caption, columns, rows, empty = '該当するものはありません。') {
  if (rows.length === 0) return h('p', {class: 'empty'}, empty);
  return h('table', {class: 'list'},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.class}, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => h('td', {class: c.class}, c.cell(r)))))));
}
