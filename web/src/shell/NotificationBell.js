// The bell in the top bar: the user's and their unit's unread notices
// (dispatched to you, returned, result reported, extension asked,
// supervised, deadline near, overdue). A click opens the event and marks
// the notice read. It follows the live feed, and looks again every minute.
import { computed, onBeforeUnmount, onMounted, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import { notificationLabel } from '../event/labels.js';
import { debounce, onEventChange } from '../event/live.js';
import { render } from './NotificationBell.render.js';

const PAGE = 50;
const POLL_MS = 60000;

export default {
  name: 'NotificationBell',
  setup() {
    const items = ref([]);
    const more = ref(false);
    const open = ref(false);

    async function load() {
      try {
        const answer = await api.get('/notifications', { unread: 'true', limit: PAGE });
        items.value = answer.items || [];
        more.value = Boolean(answer.next_cursor);
      } catch {
        // the bell stays as it was
      }
    }

    async function choose(note) {
      open.value = false;
      items.value = items.value.filter((n) => n.id !== note.id);
      api.post(`/notifications/${note.id}/read`).catch(() => {});
      if (note.event_id)
        navigate('/events/detail', { id: note.event_id });
    }

    async function readAll() {
      const all = items.value;
      items.value = [];
      await Promise.all(all.map((n) => api.post(`/notifications/${n.id}/read`).catch(() => {})));
      load();
    }

    const count = computed(() => (more.value ? `${PAGE}+` : items.value.length));
    const later = debounce(load, 1500);
    let stop = null;
    let timer = null;
    onMounted(() => {
      load();
      stop = onEventChange(later);
      timer = setInterval(load, POLL_MS);
    });
    onBeforeUnmount(() => {
      if (stop)
        stop();
      later.cancel();
      clearInterval(timer);
    });

    return { items, count, open, choose, readAll, formatTime, notificationLabel };
  },
  render,
};
