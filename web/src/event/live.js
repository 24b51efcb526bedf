// The live feed of event changes (GET /events/stream, server-sent events
// named "change" with {type, event_id}). One EventSource per browser tab,
// opened while at least one page listens; EventSource reconnects by itself
// and the server replays what was missed (Last-Event-ID).
import { reactive } from '../../vendor/vue.js';

const listeners = new Set();
let source = null;

export const liveState = reactive({ connected: false });

function open() {
  source = new EventSource('/api/v1/events/stream');
  source.addEventListener('open', () => { liveState.connected = true; });
  source.addEventListener('error', () => { liveState.connected = false; });
  source.addEventListener('change', (message) => {
    let change;
    try {
      change = JSON.parse(message.data);
    } catch {
      return;
    }
    for (const listener of [...listeners])
      listener(change);
  });
}

// Calls listener({type, event_id}) for every change in the user's scope;
// returns the function that stops listening.
export function onEventChange(listener) {
  listeners.add(listener);
  if (!source)
    open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && source) {
      source.close();
      source = null;
      liveState.connected = false;
    }
  };
}

// Runs fn at most once per wait ms, at the end of a burst of calls.
export function debounce(fn, wait) {
  let timer = null;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, wait);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
