// The landing page: who you are, where you work, and the pages you can open.
import { computed } from '../../vendor/vue.js';
import { allowedPages } from '../menu.js';
import { HOME_PATH, navigate } from '../router.js';
import { can, session } from '../session.js';
import ScopeChart from './ScopeChart.js';
import { useRoleLabels } from '../common/roles.js';
import { render } from './HomePage.render.js';

export default {
  name: 'HomePage',
  components: { ScopeChart },
  setup() {
    const user = computed(() => session.user);
    const shortcuts = computed(() => allowedPages.value.filter((entry) => entry.path !== HOME_PATH));
    const { roleLabel } = useRoleLabels();
    return { user, shortcuts, navigate, roleLabel, canReadDivisions: can('division.read') };
  },
  render,
};
