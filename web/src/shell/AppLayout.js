// The console frame: side menu (a drawer on phones), top bar with the user,
// their division, the notification bell, the language toggle and sign-out, the breadcrumb, and the
// current page.
import { computed, ref, watch } from '../../vendor/vue.js';
import { t } from '../i18n.js';
import { currentPage, menuGroups } from '../menu.js';
import { pageComponents } from '../page-components.js';
import { HOME_PATH, navigate } from '../router.js';
import { can, session, signOut } from '../session.js';
import { viewport } from '../viewport.js';
import LanguageToggle from './LanguageToggle.js';
import NotificationBell from './NotificationBell.js';
import PasswordChange from './PasswordChange.js';
import SideMenu from './SideMenu.js';
import { render } from './AppLayout.render.js';

const COLLAPSE_KEY = 'pingan.menuCollapsed';

export default {
  name: 'AppLayout',
  components: { LanguageToggle, NotificationBell, PasswordChange, SideMenu },
  setup() {
    const collapsed = ref(localStorage.getItem(COLLAPSE_KEY) === '1');
    const drawerOpen = ref(false);
    const passwordOpen = ref(false);
    const user = computed(() => session.user);

    const breadcrumb = computed(() => {
      const page = currentPage.value;
      const group = menuGroups.find((g) => g.key === page.group);
      const trail = [{ title: 'menu.home', path: HOME_PATH }];
      if (group)
        trail.push({ title: group.title });
      if (page.path !== HOME_PATH)
        trail.push({ title: page.title });
      return trail;
    });

    // County-level accounts have no division: their scope is everything.
    const divisionName = computed(() => user.value.division_name || t('layout.wholeCounty'));
    const avatarText = computed(() => (user.value.display_name || user.value.username).slice(0, 1));

    function toggleMenu() {
      if (viewport.phone) {
        drawerOpen.value = !drawerOpen.value;
        return;
      }
      collapsed.value = !collapsed.value;
      localStorage.setItem(COLLAPSE_KEY, collapsed.value ? '1' : '0');
    }

    function onUserCommand(command) {
      if (command === 'password')
        passwordOpen.value = true;
      else if (command === 'signout')
        signOut();
    }

    // Leaving phone size with the drawer open would leave it floating.
    watch(() => viewport.phone, () => { drawerOpen.value = false; });

    return {
      collapsed, drawerOpen, passwordOpen, user, breadcrumb, divisionName, avatarText, viewport,
      currentPage, pageComponents, navigate, toggleMenu, onUserCommand, can,
    };
  },
  render,
};
