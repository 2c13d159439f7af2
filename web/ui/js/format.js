// How numbers, money and dates are shown: yen with thousands separators,
// dates in the Western calendar with the Japanese era (和暦) beside them.

const yenFormat = new Intl.NumberFormat('ja-JP');
const eraFormat = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long', year: 'numeric', timeZone: 'Asia/Tokyo',
});
const timeFormat = new Intl.DateTimeFormat('ja-JP', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  timeZone: 'Asia/Tokyo',
});

/** "124978" or 124978 → "¥124,978"; anything unreadable → "—". */
export function yen(amount) {
  if (amount === null || amount === undefined || amount === '') return '—';
  const s = String(amount);
  if (!/^-?\d+(\.\d+)?$/.test(s)) return s;
  const [whole, frac] = s.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${digits}${frac ? '.' + frac : ''}`;
}

/** A count with separators: 16701 → "16,701". */
export function count(n) {
  return yenFormat.format(n);
}

/** "2026-12-23" → "2026年12月23日（令和8年）"; null → "—". */
export function date(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 3));
  return `${+m[1]}年${+m[2]}月${+m[3]}日（${eraFormat.format(d)}）`;
}

/** An RFC 3339 time → "2026/12/02 09:15" in Japan time. */
export function time(rfc3339) {
  if (!rfc3339) return '—';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return timeFormat.format(d);
}

const STATES = {
  received: '未処理',
  draft: '起票中',
  pending_approval: '承認待ち',
  accounting_review: '会計審査中',
  accepted: '審査済（支払待ち）',
  paid: '支払済',
  withdrawn: '取下げ',
};
/** The Japanese name of a document or payment-order state. */
export function stateName(state) {
  return STATES[state] || state;
}

const DEADLINES = {
  on_time: '期限内',
  due_soon: '期限間近',
  overdue: '期限超過',
  stopped: '停止中（差戻し）',
  paid: '支払済',
};
export function deadlineName(deadline) {
  return DEADLINES[deadline] || deadline;
}

const ROLES = {
  clerk: '担当者',
  approver: '承認者',
  accountant: '会計室',
  auditor: '監査',
  compliance: 'コンプライアンス',
  admin: '管理者',
};
export function roleName(role) {
  return ROLES[role] || role;
}
