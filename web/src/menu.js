// Every page of the console as the menu, the breadcrumb and the home page
// see it: where it lives, what permission it needs, its title and icon. The
// components themselves are in page-components.js, so that pages can import
// this list without importing each other.
import { computed } from '../vendor/vue.js';
import { HOME_PATH, route } from './router.js';
import { can } from './session.js';

// Menu groups in display order; titles are catalogue keys.
export const menuGroups = [
  { key: 'org', title: 'menu.org', icon: 'OfficeBuilding' },
  { key: 'system', title: 'menu.system', icon: 'Setting' },
];

export const pages = [
  { path: HOME_PATH, title: 'menu.home', icon: 'HomeFilled', summary: 'home.summary' },
  { path: '/divisions', group: 'org', title: 'menu.divisions', icon: 'MapLocation',
    permission: 'division.read', summary: 'divisions.summary' },
  { path: '/units', group: 'org', title: 'menu.units', icon: 'School',
    permission: 'unit.read', summary: 'units.summary' },
  { path: '/users', group: 'org', title: 'menu.users', icon: 'User',
    permission: 'user.read', summary: 'users.summary' },
  { path: '/audit', group: 'system', title: 'menu.audit', icon: 'Document',
    permission: 'audit.read', summary: 'audit.summary' },
  { path: '/tokens', group: 'system', title: 'menu.tokens', icon: 'Key',
    permission: 'token.manage', summary: 'tokens.summary' },
];

// The pages the signed-in user may open: menu and router agree on it.
export const allowedPages = computed(() => pages.filter((page) => !page.permission || can(page.permission)));

// The page for the current hash. An unknown or forbidden path shows home,
// so a link bookmarked under another role never opens a broken page.
export const currentPage = computed(() =>
  allowedPages.value.find((page) => page.path === route.path) || pages.find((page) => page.path === HOME_PATH));
