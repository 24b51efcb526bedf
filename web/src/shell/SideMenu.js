// The left menu: groups and pages the user's permissions allow, nothing more.
import { computed } from '../../vendor/vue.js';
import { menuGroups, menuPages } from '../menu.js';
import { navigate, route } from '../router.js';
import { render } from './SideMenu.render.js';

export default {
  name: 'SideMenu',
  props: { collapse: Boolean },
  emits: ['navigate'],
  setup(props, { emit }) {
    const topLevel = computed(() => menuPages.value.filter((entry) => !entry.group));
    // A group with no allowed page is not shown at all.
    const groups = computed(() => menuGroups
      .map((group) => ({ ...group, pages: menuPages.value.filter((entry) => entry.group === group.key) }))
      .filter((group) => group.pages.length > 0));
    const openGroups = menuGroups.map((group) => group.key);

    function select(path) {
      navigate(path);
      emit('navigate', path);
    }

    return { topLevel, groups, openGroups, route, select };
  },
  render,
};
