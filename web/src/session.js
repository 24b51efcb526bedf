// Who is signed in, and what they may do. The server keeps the session in an
// HttpOnly cookie, so the browser never sees the token: "signed in" simply
// means GET /me answers.
import { reactive } from '../vendor/vue.js';
import { api, onUnauthorized } from './api.js';

export const session = reactive({
  ready: false,     // the first GET /me has answered
  user: null,       // /me: id, username, display_name, roles, permissions, division_name ...
  expiredNotice: false, // signed out by the server (401), not by the user
});

export function can(permission) {
  return Boolean(session.user && session.user.permissions.includes(permission));
}

export async function loadSession() {
  try {
    session.user = await api.get('/me');
  } catch {
    session.user = null;
  } finally {
    session.ready = true;
  }
}

export async function signIn(username, password) {
  const answer = await api.post('/session', { username, password });
  session.expiredNotice = false;
  session.user = answer.user;
}

export async function signOut() {
  try {
    await api.delete('/session');
  } finally {
    session.user = null;
  }
}

onUnauthorized(() => {
  if (session.user) {
    session.user = null;
    session.expiredNotice = true;
  }
});
