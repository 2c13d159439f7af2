// An XML invoice as a person reads it, rendered in the browser from the
// original bytes: UBL 2.1 (JP PINT, Peppol BIS, XRechnung UBL) and
// UN/CEFACT CII (XRechnung CII, Factur-X/ZUGFeRD XML). DOMParser only
// parses: it neither fetches nor runs anything, and every value reaches the
// page as text (dom.js). The raw XML stays one click away.

import {h} from '../dom.js';
import {date, yen} from '../format.js';
import {bankAccountText} from './invoice_common.js';

// --- reading the tree by local names (prefixes differ from file to file) ---

function kids(el, name) {
  if (!el) return [];
  return Array.from(el.children).filter(c => c.localName === name);
}

/** The first element at a path of local names: at(el, 'Party/PartyName/Name'). */
function at(el, path) {
  let cur = el;
  for (const name of path.split('/')) {
    cur = kids(cur, name)[0];
    if (!cur) return null;
  }
  return cur;
}

function text(el, path) {
  const found = path ? at(el, path) : el;
  return found ? found.textContent.trim() : '';
}

function attr(el, path, name) {
  const found = at(el, path);
  return found ? found.getAttribute(name) || '' : '';
}

// CII dates: <udt:DateTimeString format="102">20260714</...>.
function ciiDate(el, path) {
  const s = text(el, path);
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : s;
}

function joined(...parts) {
  return parts.filter(Boolean).join(' ');
}

// --- UBL ---

function ublParty(party) {
  if (!party) return null;
  const address = at(party, 'PostalAddress');
  const taxIds = kids(party, 'PartyTaxScheme').map(t => text(t, 'CompanyID')).filter(Boolean);
  return {
    name: text(party, 'PartyLegalEntity/RegistrationName') || text(party, 'PartyName/Name'),
    registration: taxIds.find(id => /^T\d{13}$/.test(id)) || taxIds[0] || '',
    postal: text(address, 'PostalZone'),
    address: joined(text(address, 'CountrySubentity'), text(address, 'CityName'),
      text(address, 'StreetName'), text(address, 'AdditionalStreetName')),
    contact: text(party, 'Contact/Name'),
  };
}

function ublUnit(line, quantity) {
  for (const p of kids(at(line, 'Item'), 'AdditionalItemProperty')) {
    if (text(p, 'Name') === '表示単位名称') return text(p, 'Value');
  }
  return unitName(quantity ? quantity.getAttribute('unitCode') : '');
}

function ublLines(root, credit) {
  return kids(root, credit ? 'CreditNoteLine' : 'InvoiceLine').map(line => {
    const quantity = at(line, credit ? 'CreditedQuantity' : 'InvoicedQuantity');
    const base = text(line, 'Price/BaseQuantity');
    return {
      id: text(line, 'ID'),
      name: text(line, 'Item/Name'),
      note: text(line, 'Item/Description'),
      quantity: quantity ? quantity.textContent.trim() : '',
      unit: ublUnit(line, quantity),
      price: text(line, 'Price/PriceAmount'),
      priceBase: base && base !== '1' ? base : '',
      amount: text(line, 'LineExtensionAmount'),
      rate: text(line, 'Item/ClassifiedTaxCategory/Percent'),
    };
  });
}

function ublTaxes(root, currency) {
  // A second TaxTotal may repeat the tax in the accounting currency.
  const totals = kids(root, 'TaxTotal');
  const main = totals.find(t => attr(t, 'TaxAmount', 'currencyID') === currency) || totals[0];
  return {
    tax: text(main, 'TaxAmount'),
    rows: kids(main, 'TaxSubtotal').map(s => ({
      rate: text(s, 'TaxCategory/Percent'),
      category: text(s, 'TaxCategory/ID'),
      taxable: text(s, 'TaxableAmount'),
      tax: text(s, 'TaxAmount'),
    })),
  };
}

function readUbl(root) {
  const credit = root.localName === 'CreditNote';
  const currency = text(root, 'DocumentCurrencyCode');
  const taxes = ublTaxes(root, currency);
  const m = at(root, 'LegalMonetaryTotal');
  return {
    syntax: 'UBL',
    credit: credit || text(root, 'InvoiceTypeCode') === '381',
    number: text(root, 'ID'),
    issueDate: text(root, 'IssueDate'),
    dueDate: text(root, 'DueDate') || text(root, 'PaymentMeans/PaymentDueDate'),
    currency,
    specification: text(root, 'CustomizationID'),
    notes: kids(root, 'Note').map(n => n.textContent.trim()).filter(Boolean),
    supplier: ublParty(at(root, 'AccountingSupplierParty/Party')),
    buyer: ublParty(at(root, 'AccountingCustomerParty/Party')),
    lines: ublLines(root, credit),
    taxes: taxes.rows,
    totals: {
      lines: text(m, 'LineExtensionAmount'),
      allowance: text(m, 'AllowanceTotalAmount'),
      charge: text(m, 'ChargeTotalAmount'),
      taxExclusive: text(m, 'TaxExclusiveAmount'),
      tax: taxes.tax,
      taxInclusive: text(m, 'TaxInclusiveAmount'),
      prepaid: text(m, 'PrepaidAmount'),
      rounding: text(m, 'PayableRoundingAmount'),
      payable: text(m, 'PayableAmount'),
    },
    account: text(root, 'PaymentMeans/PayeeFinancialAccount/ID'),
    accountName: text(root, 'PaymentMeans/PayeeFinancialAccount/Name'),
    terms: kids(root, 'PaymentTerms').map(t => text(t, 'Note')).filter(Boolean).join(' '),
  };
}

// --- CII ---

function ciiParty(party) {
  if (!party) return null;
  const address = at(party, 'PostalTradeAddress');
  const taxIds = kids(party, 'SpecifiedTaxRegistration').map(t => text(t, 'ID')).filter(Boolean);
  return {
    name: text(party, 'Name'),
    registration: taxIds.find(id => /^T\d{13}$/.test(id)) || taxIds[0] || '',
    postal: text(address, 'PostcodeCode'),
    address: joined(text(address, 'CountrySubDivisionName'), text(address, 'CityName'),
      text(address, 'LineOne'), text(address, 'LineTwo')),
    contact: text(party, 'DefinedTradeContact/PersonName'),
  };
}

function ciiLines(transaction) {
  return kids(transaction, 'IncludedSupplyChainTradeLineItem').map(line => {
    const quantity = at(line, 'SpecifiedLineTradeDelivery/BilledQuantity');
    const price = at(line, 'SpecifiedLineTradeAgreement/NetPriceProductTradePrice');
    const base = text(price, 'BasisQuantity');
    return {
      id: text(line, 'AssociatedDocumentLineDocument/LineID'),
      name: text(line, 'SpecifiedTradeProduct/Name'),
      note: text(line, 'SpecifiedTradeProduct/Description'),
      quantity: quantity ? quantity.textContent.trim() : '',
      unit: unitName(quantity ? quantity.getAttribute('unitCode') : ''),
      price: text(price, 'ChargeAmount'),
      priceBase: base && Number(base) !== 1 ? base : '',
      amount: text(line,
        'SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount'),
      rate: text(line, 'SpecifiedLineTradeSettlement/ApplicableTradeTax/RateApplicablePercent'),
    };
  });
}

function readCii(root) {
  const tx = at(root, 'SupplyChainTradeTransaction');
  const agreement = at(tx, 'ApplicableHeaderTradeAgreement');
  const settlement = at(tx, 'ApplicableHeaderTradeSettlement');
  const currency = text(settlement, 'InvoiceCurrencyCode');
  const sum = at(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const taxTotal = kids(sum, 'TaxTotalAmount');
  const tax = taxTotal.find(t => t.getAttribute('currencyID') === currency) || taxTotal[0];
  const means = at(settlement, 'SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount');
  return {
    syntax: 'CII',
    credit: text(root, 'ExchangedDocument/TypeCode') === '381',
    number: text(root, 'ExchangedDocument/ID'),
    issueDate: ciiDate(root, 'ExchangedDocument/IssueDateTime/DateTimeString'),
    dueDate: ciiDate(settlement, 'SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString'),
    currency,
    specification: text(root, 'ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID'),
    notes: kids(at(root, 'ExchangedDocument'), 'IncludedNote').map(n => text(n, 'Content')).filter(Boolean),
    supplier: ciiParty(at(agreement, 'SellerTradeParty')),
    buyer: ciiParty(at(agreement, 'BuyerTradeParty')),
    lines: ciiLines(tx),
    taxes: kids(settlement, 'ApplicableTradeTax').map(t => ({
      rate: text(t, 'RateApplicablePercent'),
      category: text(t, 'CategoryCode'),
      taxable: text(t, 'BasisAmount'),
      tax: text(t, 'CalculatedAmount'),
    })),
    totals: {
      lines: text(sum, 'LineTotalAmount'),
      allowance: text(sum, 'AllowanceTotalAmount'),
      charge: text(sum, 'ChargeTotalAmount'),
      taxExclusive: text(sum, 'TaxBasisTotalAmount'),
      tax: tax ? tax.textContent.trim() : '',
      taxInclusive: text(sum, 'GrandTotalAmount'),
      prepaid: text(sum, 'TotalPrepaidAmount'),
      rounding: text(sum, 'RoundingAmount'),
      payable: text(sum, 'DuePayableAmount'),
    },
    account: text(means, 'IBANID') || text(means, 'ProprietaryID'),
    accountName: text(means, 'AccountName'),
    terms: text(settlement, 'SpecifiedTradePaymentTerms/Description'),
  };
}

/**
 * The invoice in an XML text as a plain object, or throws an Error with a
 * Japanese message (not XML, or neither UBL nor CII).
 */
export function readXmlInvoice(xmlText) {
  const doc = new DOMParser().parseFromString(xmlText, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) {
    throw new Error('XML として読めませんでした（ファイルが壊れているか、XML ではありません）。');
  }
  const root = doc.documentElement;
  if (root.localName === 'Invoice' || root.localName === 'CreditNote') return readUbl(root);
  if (root.localName === 'CrossIndustryInvoice') return readCii(root);
  throw new Error(`この XML（${root.localName}）は請求書の形式（UBL・CII）ではありません。`);
}

// --- showing it ---

const UNITS = {
  H87: '個', EA: '個', C62: '', LS: '式', TNE: 't', KGM: 'kg', GRM: 'g', LTR: 'L', MTR: 'm',
  MTK: '㎡', HUR: '時間', DAY: '日', MON: '月', ANN: '年', SET: 'セット', PR: '組', KWH: 'kWh',
  MIN: '分', XBX: '箱', XPK: '包',
};

function unitName(code) {
  if (!code) return '';
  return code in UNITS ? UNITS[code] : code;
}

// Tax categories (UNCL5305) other than the standard and reduced rates.
const TAX_CATEGORIES = {E: '非課税', Z: 'ゼロ税率', O: '不課税', G: '輸出免税', K: '域内免税', AE: 'リバースチャージ'};

function money(value, currency) {
  if (value === '' || value === null || value === undefined) return '—';
  if (!currency || currency === 'JPY') return yen(value);
  return `${value} ${currency}`;
}

function partyBlock(title, party, id) {
  if (!party) return h('section', {class: 'xml-party', 'aria-labelledby': id}, h('h4', {id}, title), h('p', {}, '—'));
  return h('section', {class: 'xml-party', 'aria-labelledby': id},
    h('h4', {id}, title),
    h('p', {class: 'xml-party-name'}, party.name || '（名称なし）'),
    party.registration ? h('p', {}, /^T\d{13}$/.test(party.registration) ? '登録番号 ' : '税番号 ',
      h('span', {class: 'mono'}, party.registration)) : null,
    party.postal || party.address ? h('p', {}, party.postal ? `〒${party.postal} ` : '', party.address) : null,
    party.contact ? h('p', {}, '担当 ', party.contact) : null);
}

function linesTable(inv) {
  if (inv.lines.length === 0) return h('p', {class: 'empty'}, '明細はありません。');
  return h('table', {class: 'list xml-lines'},
    h('caption', {}, '明細'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col', class: 'num'}, 'No.'), h('th', {scope: 'col'}, '品名・内容'),
      h('th', {scope: 'col', class: 'num'}, '数量'), h('th', {scope: 'col', class: 'num'}, '単価'),
      h('th', {scope: 'col', class: 'num'}, '金額'), h('th', {scope: 'col', class: 'num'}, '税率'))),
    h('tbody', {}, inv.lines.map(l => h('tr', {},
      h('td', {class: 'num'}, l.id),
      h('td', {}, h('span', {class: 'line-name'}, l.name || '—'), l.note ? h('div', {class: 'sub'}, l.note) : null),
      h('td', {class: 'num'}, l.quantity, l.unit ? ' ' + l.unit : ''),
      h('td', {class: 'num'}, money(l.price, inv.currency), l.priceBase ? `／${l.priceBase}` : ''),
      h('td', {class: 'num'}, money(l.amount, inv.currency)),
      h('td', {class: 'num'}, l.rate ? `${l.rate}%` : '—')))));
}

function taxTable(inv) {
  return h('table', {class: 'list xml-taxes'},
    h('caption', {}, '税率ごとの内訳'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, '税率'), h('th', {scope: 'col', class: 'num'}, '対象金額（税抜）'),
      h('th', {scope: 'col', class: 'num'}, '消費税額'))),
    h('tbody', {}, inv.taxes.length === 0
      ? h('tr', {}, h('td', {colspan: 3}, '記載がありません'))
      : inv.taxes.map(t => h('tr', {},
        h('th', {scope: 'row'}, t.rate ? `${t.rate}%` : '—', t.rate === '8' ? '（軽減税率）' : '',
          TAX_CATEGORIES[t.category] ? `（${TAX_CATEGORIES[t.category]}）` : ''),
        h('td', {class: 'num'}, money(t.taxable, inv.currency)),
        h('td', {class: 'num'}, money(t.tax, inv.currency))))));
}

function totalsTable(inv) {
  const t = inv.totals;
  const rows = [
    ['明細の合計（税抜）', t.lines],
    ['値引', t.allowance],
    ['追加料金', t.charge],
    ['税抜合計', t.taxExclusive],
    ['消費税', t.tax],
    ['税込合計', t.taxInclusive],
    ['前払額', t.prepaid],
    ['端数調整', t.rounding],
  ].filter(([, v]) => v !== '');
  return h('table', {class: 'list xml-totals'},
    h('caption', {}, '合計'),
    h('tbody', {},
      rows.map(([label, v]) => h('tr', {}, h('th', {scope: 'row'}, label), h('td', {class: 'num'}, money(v, inv.currency)))),
      h('tr', {class: 'xml-payable'}, h('th', {scope: 'row'}, inv.credit ? '返金額' : 'ご請求金額'),
        h('td', {class: 'num'}, money(t.payable || t.taxInclusive, inv.currency)))));
}

/** The XML text indented, for the raw view (as text, never as markup). */
export function prettyXml(xmlText) {
  const doc = new DOMParser().parseFromString(xmlText, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xmlText;
  // Files that are indented already are shown as they are.
  if ((xmlText.match(/\n/g) || []).length > 5) return xmlText;
  const out = [];
  const walk = (node, depth) => {
    const pad = '  '.repeat(depth);
    const attrs = Array.from(node.attributes).map(a => ` ${a.name}="${a.value}"`).join('');
    const elements = Array.from(node.children);
    const own = Array.from(node.childNodes).filter(n => n.nodeType === 3).map(n => n.nodeValue).join('').trim();
    if (elements.length === 0) {
      out.push(own ? `${pad}<${node.nodeName}${attrs}>${own}</${node.nodeName}>` : `${pad}<${node.nodeName}${attrs}/>`);
      return;
    }
    out.push(`${pad}<${node.nodeName}${attrs}>`);
    for (const c of elements) walk(c, depth + 1);
    out.push(`${pad}</${node.nodeName}>`);
  };
  walk(doc.documentElement, 0);
  return out.join('\n');
}

/** The invoice of xmlText as a block for the page, with its raw XML in a <details>. */
export function renderXmlInvoice(xmlText) {
  const raw = h('details', {class: 'xml-raw'},
    h('summary', {}, 'XML の原文を表示'),
    h('pre', {tabindex: '0', 'aria-label': 'XML の原文'}, prettyXml(xmlText)));
  let inv;
  try {
    inv = readXmlInvoice(xmlText);
  } catch (err) {
    return h('div', {class: 'xml-invoice'}, h('p', {class: 'error-box', role: 'alert'}, err.message), raw);
  }
  const title = inv.credit ? '返還請求書（クレジットノート）' : '請求書';
  return h('article', {class: 'xml-invoice', 'aria-labelledby': 'xml-title'},
    h('header', {class: 'xml-head'},
      h('h3', {id: 'xml-title'}, title, h('span', {class: 'xml-syntax'}, `（XML・${inv.syntax} から表示）`)),
      h('dl', {class: 'xml-meta'},
        h('dt', {}, '請求書番号'), h('dd', {}, inv.number || '—'),
        h('dt', {}, '請求日'), h('dd', {}, date(inv.issueDate)),
        h('dt', {}, '支払期日'), h('dd', {}, date(inv.dueDate)),
        inv.currency && inv.currency !== 'JPY' ? [h('dt', {}, '通貨'), h('dd', {}, inv.currency)] : null)),
    h('div', {class: 'xml-parties'},
      partyBlock('請求元（取引先）', inv.supplier, 'xml-supplier'),
      partyBlock('宛先', inv.buyer, 'xml-buyer')),
    linesTable(inv),
    h('div', {class: 'xml-summary'}, taxTable(inv), totalsTable(inv)),
    inv.account || inv.terms ? h('dl', {class: 'xml-payment'},
      inv.account ? [h('dt', {}, '振込先'), h('dd', {}, bankAccountText(inv.account), inv.accountName ? `（口座名義 ${inv.accountName}）` : '')] : null,
      inv.terms ? [h('dt', {}, '支払条件'), h('dd', {}, inv.terms)] : null) : null,
    inv.notes.length ? h('p', {class: 'xml-notes'}, '備考: ', inv.notes.join(' ／ ')) : null,
    raw);
}
