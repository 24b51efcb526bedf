// The landing page: who you are, where you work, what waits in your
// inboxes, and the pages you can open.
import { computed } from '../../vendor/vue.js';
import { menuPages } from '../menu.js';
import { HOME_PATH, navigate } from '../router.js';
import { can, session } from '../session.js';
import ScopeChart from './ScopeChart.js';
import InboxSummary from '../event/InboxSummary.js';
import { useRoleLabels } from '../common/roles.js';
import { render } from './HomePage.render.js';

export default {
  name: 'HomePage',
  components: { ScopeChart, InboxSummary },
  setup() {
    const user = computed(() => session.user);
    const shortcuts = computed(() => menuPages.value.filter((entry) => entry.path !== HOME_PATH));
    const { roleLabel } = useRoleLabels();
    return { user, shortcuts, navigate, roleLabel, canReadDivisions: can('division.read') };
  },
  render,
};
