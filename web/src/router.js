// Hash routing (#/divisions?code=330824115): the server serves static files
// only and has no fallback to index.html, so the path lives after the "#".
// This module knows nothing of the pages, so any page may import it.
import { reactive } from '../vendor/vue.js';

export const HOME_PATH = '/home';

function parseHash(hash) {
  const raw = hash.replace(/^#/, '') || HOME_PATH;
  const [path, qs = ''] = raw.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(qs)) };
}

export const route = reactive(parseHash(window.location.hash));

window.addEventListener('hashchange', () => {
  Object.assign(route, parseHash(window.location.hash));
});

export function navigate(path, query = {}) {
  const qs = new URLSearchParams(query).toString();
  window.location.hash = '#' + path + (qs ? '?' + qs : '');
}
