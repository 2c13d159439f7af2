// The JSON API (docs/API.md) as the screens use it: the session's CSRF token
// on every change, errors as ApiError with the server's Japanese message.

let csrfToken = '';
let onSessionLost = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Called with a message when the server says the session is gone (401). */
export function setSessionLostHandler(fn) {
  onSessionLost = fn;
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

async function errorFrom(res) {
  let code = 'http_' + res.status;
  let message = '';
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || '';
    }
  } catch (_) {
    // Not JSON (a proxy's page, a dropped connection): say so below.
  }
  if (!message) {
    message = res.status >= 500
      ? `サーバーで問題が起きました（${res.status}）。しばらくしてからもう一度お試しください。`
      : `要求が受け付けられませんでした（${res.status}）。`;
  }
  return new ApiError(res.status, code, message);
}

async function request(method, path, body, {allow401 = false} = {}) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers, credentials: 'same-origin'};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    if (body instanceof FormData) {
      init.body = body;
    } else {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (_) {
    throw new ApiError(0, 'network',
      'サーバーに接続できませんでした。ネットワークを確認して、もう一度お試しください。');
  }
  if (res.status === 204) return null;
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && !allow401) onSessionLost(err.message);
    throw err;
  }
  const type = res.headers.get('Content-Type') || '';
  return type.startsWith('application/json') ? res.json() : res.text();
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
};

/** "?a=1&b=x" from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.append(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

let departmentCache = null;
/** Map of department code → name (総務課), fetched once per page load. */
export async function departmentNames() {
  if (!departmentCache) {
    departmentCache = api.get('/api/v1/departments')
      .then(d => new Map(d.items.map(i => [i.code, i.name])))
      .catch((err) => {
        departmentCache = null;
        throw err;
      });
  }
  return departmentCache;
}

/** Forgets the departments fetched, after one was added (管理 › 課). */
export function forgetDepartmentNames() {
  departmentCache = null;
}
