// A list page backed by a keyset-paged API ({items, next_cursor}). The server
// gives no page numbers, so "previous" is the cursor we used before: keep
// the stack of cursors that led to the current page.
import { reactive } from '../vendor/vue.js';
import { notifyError } from './feedback.js';

// fetchPage({limit, cursor}) must resolve with {items, next_cursor}.
export function useCursorList(fetchPage, { limit = 20 } = {}) {
  const list = reactive({
    items: [],
    loading: false,
    limit,
    cursors: [null], // cursors[i] opened page i + 1
    nextCursor: null,
    get page() { return this.cursors.length; },
    get hasPrev() { return this.cursors.length > 1; },
    get hasNext() { return Boolean(this.nextCursor); },
  });
  let generation = 0;

  async function load() {
    const mine = ++generation; // a slower earlier answer must not win
    list.loading = true;
    try {
      const answer = await fetchPage({ limit: list.limit, cursor: list.cursors[list.cursors.length - 1] });
      if (mine !== generation)
        return;
      list.items = answer.items || [];
      list.nextCursor = answer.next_cursor || null;
    } catch (err) {
      if (mine === generation)
        notifyError(err);
    } finally {
      if (mine === generation)
        list.loading = false;
    }
  }

  // Back to page one, e.g. after the query form changed.
  list.reset = () => { list.cursors = [null]; return load(); };
  list.reload = load;
  list.next = () => {
    if (!list.hasNext)
      return undefined;
    list.cursors = [...list.cursors, list.nextCursor];
    return load();
  };
  list.prev = () => {
    if (!list.hasPrev)
      return undefined;
    list.cursors = list.cursors.slice(0, -1);
    return load();
  };
  list.setLimit = (value) => { list.limit = value; return list.reset(); };
  return list;
}
