// The home page's "我的待办" card: how many cases wait in each of the
// user's inboxes, each a link into the inbox.
import { onMounted, reactive } from '../../vendor/vue.js';
import { api } from '../api.js';
import { allowedInboxTabs } from '../menu.js';
import { navigate } from '../router.js';
import { render } from './InboxSummary.render.js';

export default {
  name: 'InboxSummary',
  setup() {
    const counts = reactive({});
    onMounted(() => Promise.all(allowedInboxTabs.value.map(async (tab) => {
      try {
        counts[tab.key] = (await api.get('/events', { inbox: tab.key, limit: 1, total: 'true' })).total;
      } catch {
        counts[tab.key] = null;
      }
    })));
    return {
      tabs: allowedInboxTabs, counts,
      open: (tab) => navigate('/events/inbox', tab ? { tab } : {}),
    };
  },
  render,
};
