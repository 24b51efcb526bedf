// The grid worker's outbox: reports made while the phone has no network
// wait here (IndexedDB, photos included) and go out when it returns
// (the browser's "online" event, a retry, or the next visit).
//
// Sending twice is what must never happen. Each report keeps the
// Idempotency-Key it was given when it was written down, so a repeat of a
// POST whose answer was lost returns the event the first one created; and
// only one flush runs at a time (one per browser with the Web Locks API,
// one per tab without it). A report leaves the box only after the server
// has the event and its photo.
import { reactive, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { session } from '../session.js';

const DB_NAME = 'pingan';
const STORE = 'outbox';

export const outbox = reactive({
  items: [],        // this user's waiting reports, oldest first
  sent: [],         // sent in this visit: {key, id, case_no, title}
  online: navigator.onLine,
  flushing: false,
});

let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE))
          request.result.createObjectStore(STORE, { keyPath: 'key' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function tx(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const store = transaction.objectStore(STORE);
    let result;
    Promise.resolve(work(store)).then((value) => { result = value; }, reject);
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

function requestValue(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function allEntries() {
  return tx('readonly', (store) => requestValue(store.getAll()));
}

async function putEntry(entry) {
  return tx('readwrite', (store) => requestValue(store.put(entry)));
}

async function deleteEntry(key) {
  return tx('readwrite', (store) => requestValue(store.delete(key)));
}

function mine(entry) {
  return session.user && entry.userId === session.user.id;
}

// Reloads the list shown to the user from IndexedDB.
export async function refreshOutbox() {
  try {
    const entries = await allEntries();
    outbox.items = entries.filter(mine).sort((a, b) => a.createdAt - b.createdAt);
  } catch {
    outbox.items = [];
  }
}

// Writes a report down before anything is sent: {key, body, photo, photoName}.
export async function enqueue(report) {
  const entry = {
    ...report, userId: session.user.id, createdAt: Date.now(), eventId: null, caseNo: '', error: '',
  };
  await putEntry(entry);
  await refreshOutbox();
  return entry;
}

export async function discard(key) {
  await deleteEntry(key);
  await refreshOutbox();
}

// A failure that a later retry can cure: no network, server busy, session gone.
function transient(err) {
  return !err || err.status === 0 || err.status === 401 || err.status === 429 || err.status >= 500;
}

// Sends one report; returns true when it left the box.
async function sendOne(entry) {
  if (!entry.eventId) {
    const event = await api.post('/events', entry.body, { headers: { 'Idempotency-Key': entry.key } });
    outbox.online = true;
    entry.eventId = event.id;
    entry.caseNo = event.case_no;
    entry.error = '';
    await putEntry(entry); // the photo below must go to this event, even after a crash
  }
  if (entry.photo) {
    await api.upload(`/events/${entry.eventId}/attachments`, entry.photo,
      { name: entry.photoName || 'photo', purpose: 'report' });
  }
  await deleteEntry(entry.key);
  outbox.sent.unshift({ key: entry.key, id: entry.eventId, case_no: entry.caseNo, title: entry.body.title });
  return true;
}

async function flushNow() {
  const entries = (await allEntries()).filter(mine).sort((a, b) => a.createdAt - b.createdAt);
  for (const entry of entries) {
    if (entry.error && !entry.retry)
      continue; // refused by the server: the user decides
    try {
      await sendOne(entry);
    } catch (err) {
      if (transient(err)) {
        if (err && err.status === 0)
          outbox.online = false;
        break; // the rest would fail the same way
      }
      entry.error = err.message || String(err.status);
      entry.retry = false;
      await putEntry(entry);
    }
  }
}

let running = null;
let again = false;

// Sends what waits, one flush at a time; a call during a flush runs one more
// afterwards. Resolves when the box has been worked through.
export function flushOutbox() {
  if (!session.user)
    return Promise.resolve();
  if (running) {
    again = true;
    return running;
  }
  outbox.flushing = true;
  const work = async () => {
    do {
      again = false;
      if (navigator.locks && navigator.locks.request)
        await navigator.locks.request('pingan-outbox', () => flushNow());
      else
        await flushNow();
    } while (again);
  };
  running = work().catch(() => {}).finally(async () => {
    running = null;
    outbox.flushing = false;
    await refreshOutbox();
  });
  return running;
}

// Asks for a report the server refused to be tried again (after a fix on the server side).
export async function retryRefused(key) {
  const entry = (await allEntries()).find((e) => e.key === key);
  if (entry) {
    entry.retry = true;
    await putEntry(entry);
  }
  return flushOutbox();
}

window.addEventListener('online', () => {
  outbox.online = true;
  flushOutbox();
});
window.addEventListener('offline', () => { outbox.online = false; });

// Whoever signs in on this device gets their own waiting reports sent.
watch(() => session.user && session.user.id, (id) => {
  if (!id)
    return;
  refreshOutbox().then(() => { if (outbox.items.length) flushOutbox(); });
}, { immediate: true });
