// 我的待办: the inboxes the user works (待受理, 待派遣, 待签收, 办理中, 待核查,
// 待回访, 待抽查), each a tab with its count and a paged table. Only the
// tabs the user's permissions make sense for are shown (menu.js). Counts
// follow the live feed, so a case dispatched to the unit shows up at once.
import { computed, onBeforeUnmount, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { useCursorList } from '../cursor-list.js';
import { allowedInboxTabs } from '../menu.js';
import { navigate, route } from '../router.js';
import CursorPager from '../common/CursorPager.js';
import EventTable from './EventTable.js';
import { debounce, onEventChange } from './live.js';
import { render } from './InboxPage.render.js';

export default {
  name: 'InboxPage',
  components: { CursorPager, EventTable },
  setup() {
    const tabs = allowedInboxTabs;
    const initial = tabs.value.some((tab) => tab.key === route.query.tab) ? route.query.tab
      : (tabs.value[0] && tabs.value[0].key);
    const active = ref(initial);
    const counts = reactive({});
    const list = useCursorList((page) => api.get('/events', { inbox: active.value, ...page }));

    async function loadCounts() {
      await Promise.all(tabs.value.map(async (tab) => {
        try {
          const answer = await api.get('/events', { inbox: tab.key, limit: 1, total: true });
          counts[tab.key] = answer.total;
        } catch {
          counts[tab.key] = undefined;
        }
      }));
    }

    function refresh() {
      loadCounts();
      list.reload();
    }

    watch(active, (key) => {
      // The address keeps the tab, so "back" from a detail returns to it.
      if (route.query.tab !== key)
        navigate('/events/inbox', { tab: key });
      list.reset();
    });

    watch(() => route.query.tab, (key) => {
      if (key && key !== active.value && tabs.value.some((tab) => tab.key === key))
        active.value = key;
    });

    const liveRefresh = debounce(refresh, 600);
    const stop = onEventChange(liveRefresh);
    onBeforeUnmount(() => { stop(); liveRefresh.cancel(); });

    loadCounts();
    list.reset();
    const hasTabs = computed(() => tabs.value.length > 0);
    return { tabs, active, counts, list, refresh, hasTabs };
  },
  render,
};
