// The one door to the server's JSON API. It adds what every call needs
// (session cookie, CSRF header, language) and turns every failure into an
// ApiError whose message can be shown to the user as it is: the server
// already localizes its error messages, and the rest come from the catalogue.
import { locale, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, message, { code = '', field = '', rows = [] } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.rows = rows; // per-row reasons of a rejected CSV import
  }
}

let unauthorizedHandler = () => {};

// Called on 401 from any request: the session expired or was revoked.
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

// Builds "/api/v1/x?a=1" leaving out empty filter values, so a blank
// query-form field means "no filter" rather than "equals the empty string".
export function apiUrl(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '')
      params.append(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? '?' + qs : ''}`;
}

function requestHeaders(method, contentType, extra) {
  const headers = { Accept: 'application/json', 'Accept-Language': locale.value === 'en' ? 'en' : 'zh-CN' };
  // The server refuses state-changing requests without it (CSRF rule):
  // a cross-site form cannot set custom headers.
  if (method !== 'GET')
    headers['X-Requested-With'] = 'pingan';
  if (contentType)
    headers['Content-Type'] = contentType;
  return { ...headers, ...extra };
}

async function readBody(response) {
  if (response.status === 204)
    return null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json'))
    return response.json().catch(() => null);
  return response.text();
}

function errorFrom(response, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && error.message)
    return new ApiError(response.status, error.message, { code: error.code, field: error.field, rows: body.rows });
  return new ApiError(response.status, t('error.http', { status: response.status }));
}

// method, path under /api/v1, options: query (object), json (body object),
// text + contentType (raw body: a string or a Blob such as a photo),
// ifMatch (version), headers (e.g. Idempotency-Key), signal. Resolves with
// the parsed body (null for 204); rejects with ApiError (status 0: no network).
export async function request(method, path, { query, json, text, contentType, ifMatch, headers, signal } = {}) {
  const extra = { ...(headers || {}), ...(ifMatch !== undefined ? { 'If-Match': `"${ifMatch}"` } : {}) };
  const body = json !== undefined ? JSON.stringify(json) : text;
  const type = json !== undefined ? 'application/json' : contentType;
  let response;
  try {
    response = await fetch(apiUrl(path, query), {
      method, body, signal, credentials: 'same-origin', headers: requestHeaders(method, type, extra),
    });
  } catch (err) {
    if (err.name === 'AbortError')
      throw err;
    throw new ApiError(0, t('error.network'));
  }
  const parsed = await readBody(response);
  if (response.ok)
    return parsed;
  const error = errorFrom(response, parsed);
  if (response.status === 401 && path !== '/session')
    unauthorizedHandler(error);
  throw error;
}

export const api = {
  get: (path, query, options) => request('GET', path, { ...options, query }),
  post: (path, json, options) => request('POST', path, { ...options, json }),
  put: (path, json, options) => request('PUT', path, { ...options, json }),
  patch: (path, json, options) => request('PATCH', path, { ...options, json }),
  delete: (path, options) => request('DELETE', path, options),
  // A raw body (photo, PDF): POST with the file's own type.
  upload: (path, blob, query, options) =>
    request('POST', path, { ...options, query, text: blob, contentType: blob.type || 'application/octet-stream' }),
};
