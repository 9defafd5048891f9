// The public API, called from the browser with the gateway's session cookie. Unsafe methods echo
// the XSRF-TOKEN cookie in the X-XSRF-TOKEN header (API.md); every failure becomes an ApiError
// that carries the problem+json fields, so pages can show the server's words.

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.status = status;
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfter = retryAfter;
    this.problem = problem;
  }
}

export function csrfToken() {
  const cookie = document.cookie.split(';').map(c => c.trim()).find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (UNSAFE.has(method)) {
    const token = csrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', redirect: 'manual' });
  } catch (e) {
    throw new ApiError(0, { title: 'No connection', detail: 'Bookmarks could not be reached. Check your connection and try again.' });
  }
  if (response.type === 'opaqueredirect') {
    // A session that ended sends API calls to the login page; the API itself never redirects.
    throw new ApiError(401, { title: 'Logged out', detail: 'Your session has ended. Please log in again.' });
  }
  if (response.status === 204 || response.status === 202 && !response.headers.get('Content-Type')) {
    return null;
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    throw new ApiError(response.status, data || fallbackProblem(response.status), response.headers.get('Retry-After'));
  }
  return data;
}

function fallbackProblem(status) {
  if (status === 401) return { title: 'Logged out', detail: 'Please log in to do that.' };
  if (status === 403) return { title: 'Not allowed', detail: 'You may not do that, or your session expired: reload the page and try again.' };
  if (status === 404) return { title: 'Not found', detail: 'That does not exist (any more).' };
  if (status === 429) return { title: 'Too many requests', detail: 'Slow down a little and try again in a moment.' };
  if (status >= 500) return { title: 'Server problem', detail: 'Something went wrong on our side. Please try again in a moment.' };
  return { title: 'Request refused', detail: `The server answered ${status}.` };
}

/** The person's words for a problem, including when to try again. */
export function describe(error) {
  if (!(error instanceof ApiError)) return 'Something went wrong in this page. Please reload it.';
  let text = error.detail || error.title;
  if (error.title && error.detail && !error.detail.startsWith(error.title)) text = `${error.title}: ${error.detail}`;
  if ((error.status === 429 || error.status === 503) && error.retryAfter) {
    text += ` Try again in ${error.retryAfter} s.`;
  }
  return text;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = path => api('DELETE', path);
