// 支出命令の起票 (#/orders/new?document=D00000001): the invoice, the
// commitments of its vendor that its department holds (GET
// /api/v1/documents/{id}/commitments) to pick from, each with the ○/× table
// a draft from it would show; drafting (POST /api/v1/payment-orders) leads
// to the order's page, where the × are acknowledged and the order submitted.

import {duplicateList} from './payments.js';
import {api, departmentNames} from '../api.js';
import {h, replace} from '../dom.js';
import {yen, date} from '../format.js';
import {EXPENSE_TYPES, isClerkOf, matchSummary, matchTable, showError} from './orders_common.js';

function vendorText(candidates, fields) {
  if (!fields.counterparty && !fields.registration_number) return '—（取引先が未入力のため照合できません）';
  if (candidates.vendors.length === 0) return h('span', {class: 'mark-ng'}, '見つかりません');
  return candidates.vendors.map(v => `${v.name}（${v.registration_number || '登録番号なし'}・債権者番号 ${v.id}）`).join('、');
}

function invoiceSummary(doc, candidates, departments) {
  const f = (doc.current && doc.current.fields) || {};
  const receipt = (doc.receipts || [])[0] || {};
  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
  return h('section', {class: 'panel', 'aria-labelledby': 'invoice-title'},
    h('h2', {id: 'invoice-title'}, '請求書'),
    h('dl', {class: 'facts'},
      row('書類番号', h('a', {href: '#/invoices/' + encodeURIComponent(doc.id)}, doc.id, '（請求書の詳細）')),
      row('請求書番号', f.invoice_number || '—'),
      row('取引先', f.counterparty || '（未入力）'),
      row('登録番号', f.registration_number || '—'),
      row('請求金額', yen(f.total || f.tax_inclusive_total)),
      row('請求日', date(f.issue_date)),
      row('受付', [date(receipt.received_at ? receipt.received_at.slice(0, 10) : null), ' ',
        departments.get(receipt.department) || receipt.department || '']),
      row('債権者マスタ', vendorText(candidates, f))));
}

function vendorNote(candidates) {
  if (candidates.vendors.length > 0) return null;
  return h('p', {class: 'error-box', role: 'alert'},
    'この請求書の債権者は債権者マスタに見つかりません（登録番号、なければ名称で照合）。',
    '会計室に債権者の登録を依頼してから起票してください。');
}

// The radio list of commitments; onPick(item) when one is chosen.
function candidateTable(items, picked, onPick) {
  return h('table', {class: 'list pick-table'},
    h('caption', {}, 'この請求書の債権者の支出負担行為'),
    h('thead', {}, h('tr', {},
      ['選択', '件名', '年度', '予算科目', '契約期間', '契約額', '残額', '照合'].map((label, i) =>
        h('th', {scope: 'col', class: i >= 5 && i <= 6 ? 'num' : null}, label)))),
    h('tbody', {}, items.map(c => {
      const id = 'pick-' + c.id;
      return h('tr', {class: c.id === picked ? 'picked' : null},
        h('td', {},
          h('input', {type: 'radio', name: 'commitment', id, value: c.id, checked: c.id === picked,
            onchange: () => onPick(c)}),
          h('label', {for: id, class: 'pick-label'}, c.id)),
        h('td', {}, c.description, h('div', {class: 'field-help'}, EXPENSE_TYPES[c.expense_type] || c.expense_type)),
        h('td', {class: 'nowrap'}, `${c.fiscal_year}年度`),
        h('td', {class: 'nowrap'}, c.budget_line),
        h('td', {}, h('span', {class: 'nowrap'}, date(c.contract_from)), ' 〜 ', h('span', {class: 'nowrap'}, date(c.contract_to))),
        h('td', {class: 'num'}, yen(c.amount)),
        h('td', {class: 'num'}, yen(c.remaining)),
        h('td', {}, matchSummary(c.match)));
    })));
}

// The candidate with the fewest ×, the first of equals.
function bestOf(items) {
  let best = null;
  for (const c of items) {
    const x = c.match.filter(m => m.status === 'mismatch').length;
    if (!best || x < best.x) best = {c, x};
  }
  return best && best.c;
}

function noCandidates(ctx, candidates, departments) {
  const dept = departments.get(candidates.department) || candidates.department;
  const mayRegister = isClerkOf(ctx.user, candidates.department) ||
    ctx.user.roles.includes('accountant') || ctx.user.roles.includes('admin');
  const vendor = candidates.vendors[0];
  const back = '/orders/new?document=' + candidates.document_id;
  const link = '#/commitments?new=1&department=' + encodeURIComponent(candidates.department) +
    (vendor ? '&vendor=' + encodeURIComponent(vendor.id) : '') + '&return=' + encodeURIComponent(back);
  return h('div', {class: 'empty'},
    h('p', {}, `${dept}には、この請求書の債権者の支出負担行為がありません。`),
    mayRegister && vendor ? h('p', {}, h('a', {href: link, class: 'btn'}, '支出負担行為を登録する')) : null);
}

async function draft(ctx, documentId, picked, errorBox, button) {
  if (!picked) {
    showError(errorBox, {message: '支出負担行為を選んでください。'});
    return;
  }
  button.disabled = true;
  try {
    const order = await api.post('/api/v1/payment-orders', {document_id: documentId, commitment_id: picked.id});
    ctx.flash(`支出命令 ${order.id} を起票しました。` + ((order.unacknowledged || []).length
      ? '照合結果の × の項目を確かめてから提出してください。' : '照合結果を確かめて提出してください。'), 'success');
    ctx.go('/orders/' + encodeURIComponent(order.id));
  } catch (err) {
    button.disabled = false;
    showError(errorBox, err, () => render(ctx));
  }
}

function pickSection(ctx, candidates, departments) {
  const dept = departments.get(candidates.department) || candidates.department;
  let picked = bestOf(candidates.items);
  const preview = h('div', {id: 'match-preview'});
  const errorBox = h('div', {});
  const list = h('div', {});
  const showPreview = () => replace(preview, picked ? matchTable(picked.match, {
    caption: `${picked.id} で起票した場合の照合結果`, departments}) : null);
  replace(list, candidateTable(candidates.items, picked && picked.id, (c) => {
    picked = c;
    for (const tr of list.querySelectorAll('tbody tr')) {
      tr.classList.toggle('picked', tr.querySelector('input').value === c.id);
    }
    showPreview();
  }));
  showPreview();
  const mayDraft = isClerkOf(ctx.user, candidates.department);
  const button = h('button', {type: 'submit', class: 'btn btn-primary'}, 'この支出負担行為で起票する');
  return h('form', {class: 'panel', 'aria-labelledby': 'pick-title', novalidate: true,
    onsubmit: (e) => {
      e.preventDefault();
      draft(ctx, candidates.document_id, picked, errorBox, button);
    }},
  h('h2', {id: 'pick-title'}, '支出負担行為を選ぶ'),
  h('p', {class: 'hint'}, '請求書の債権者と一致する、', dept, 'の支出負担行為です。照合結果（○/×）を見比べて選んでください。'),
  list, preview, errorBox,
  mayDraft ? h('p', {class: 'actions'}, button)
    : h('p', {class: 'hint'}, `起票できるのは${dept}の会計担当者です。`));
}

export async function render(ctx) {
  document.title = '支出命令の起票 — kura';
  const documentId = ctx.query.get('document');
  const head = [h('p', {class: 'breadcrumb'}, h('a', {href: '#/'}, 'ホーム'), ' › ',
    h('a', {href: '#/inbox/unprocessed'}, '未処理の請求書'), ' › 支出命令の起票'),
  h('h1', {}, '支出命令の起票')];
  if (!documentId) {
    replace(ctx.main, head, h('p', {}, '起票する請求書を ',
      h('a', {href: '#/inbox/unprocessed'}, '未処理の請求書'), ' から選んでください。'));
    return;
  }
  const id = encodeURIComponent(documentId);
  const [doc, candidates, departments] = await Promise.all([
    api.get('/api/v1/documents/' + id), api.get('/api/v1/documents/' + id + '/commitments'), departmentNames()]);
  let body;
  if (candidates.order_id) {
    body = h('p', {class: 'notice notice-info'}, 'この請求書にはすでに支出命令 ',
      h('a', {href: '#/orders/' + encodeURIComponent(candidates.order_id)}, candidates.order_id), ' があります。');
  } else if (candidates.blocked_reason) {
    body = h('div', {class: 'error-box', role: 'alert'}, h('p', {}, candidates.blocked_reason),
      h('p', {}, h('a', {href: '#/invoices/' + id + '/entry'}, '項目入力へ')));
  } else if (candidates.duplicates && candidates.duplicates.length) {
    body = h('div', {class: 'error-box duplicate-box', role: 'alert'},
      h('p', {}, h('strong', {}, '二重払いのおそれ: '), 'この請求書と同じと見られる請求書に、すでに支出命令があります。起票できません。'),
      duplicateList(candidates.duplicates));
  } else if (candidates.items.length === 0) {
    body = noCandidates(ctx, candidates, departments);
  } else {
    body = pickSection(ctx, candidates, departments);
  }
  replace(ctx.main, head, invoiceSummary(doc, candidates, departments),
    candidates.order_id || candidates.blocked_reason ? null : vendorNote(candidates), body);
}
