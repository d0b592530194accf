// The REST API /api/v1 from the browser: JSON in and out, a bearer token, and refusals turned into
// ApiError from their application/problem+json body (RFC 9457).
//
//   const api = createApi({token});
//   const {sites} = await api.get('/sites');
//   try { await api.post('/booth/check-in', {code}); } catch (e) { if (e.status === 409) ... }

const DEFAULT_TIMEOUT_MS = 15000;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;       // 0 when the server could not be reached or did not answer in time
    this.problem = problem || {};
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : [];  // 422: {field, message}
    this.retryAfterSeconds = null;
  }
}

export function createApi({baseUrl = '/api/v1', token = null, timeoutMs = DEFAULT_TIMEOUT_MS,
                           fetchImpl = globalThis.fetch.bind(globalThis)} = {}) {
  let bearer = token;

  // Answers the parsed JSON body, the ETag when there is one as result.etag (non-enumerable), or
  // null for 204.
  async function request(method, path, {body, ifMatch, idempotencyKey, signal} = {}) {
    const headers = {Accept: 'application/json, application/problem+json'};
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (ifMatch) headers['If-Match'] = ifMatch;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response;
    try {
      response = await fetchImpl(baseUrl + path, {
        method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, {title: 'Network error', detail: String(error?.message || error)});
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const error = new ApiError(response.status, data || {title: response.statusText});
      const retryAfter = Number(response.headers.get('Retry-After'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) error.retryAfterSeconds = retryAfter;
      throw error;
    }
    if (response.status === 204 || data === null) return null;
    const etag = response.headers.get('ETag');
    if (etag && typeof data === 'object') Object.defineProperty(data, 'etag', {value: etag});
    return data;
  }

  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, {...options, body}),
    put: (path, body, options) => request('PUT', path, {...options, body}),
    patch: (path, body, options) => request('PATCH', path, {...options, body}),
    delete: (path, options) => request('DELETE', path, options),
    setToken: (value) => { bearer = value; },
    get token() { return bearer; },
  };
}
