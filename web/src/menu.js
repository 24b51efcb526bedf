// Every page of the console as the menu, the breadcrumb and the home page
// see it: where it lives, what permission it needs, its title and icon. The
// components themselves are in page-components.js, so that pages can import
// this list without importing each other.
import { computed } from '../vendor/vue.js';
import { HOME_PATH, route } from './router.js';
import { can, session } from './session.js';

// Menu groups in display order; titles are catalogue keys.
export const menuGroups = [
  { key: 'events', title: 'menu.events', icon: 'Bell' },
  { key: 'org', title: 'menu.org', icon: 'OfficeBuilding' },
  { key: 'registry', title: 'menu.registry', icon: 'Collection' },
  { key: 'system', title: 'menu.system', icon: 'Setting' },
];

// The inboxes of the event hub (GET /events?inbox=) and who works them:
// a tab shows only for a user holding one of its permissions.
export const inboxTabs = [
  { key: 'to_accept', title: 'inbox.to_accept', permissions: ['event.triage'] },
  { key: 'to_dispatch', title: 'inbox.to_dispatch', permissions: ['event.dispatch'] },
  { key: 'to_sign', title: 'inbox.to_sign', permissions: ['event.handle'] },
  { key: 'handling', title: 'inbox.handling', permissions: ['event.handle', 'event.dispatch'] },
  { key: 'to_verify', title: 'inbox.to_verify', permissions: ['event.verify'] },
  { key: 'to_visit', title: 'inbox.to_visit', permissions: ['event.verify'] },
  { key: 'to_sample', title: 'inbox.to_sample', permissions: ['event.verify'] },
];

export const allowedInboxTabs = computed(() =>
  inboxTabs.filter((tab) => can('event.read') && tab.permissions.some(can)));

// permission: one name, or a list of which any one suffices; roles: only
// for users holding one of these roles (the grid report page is for the
// people in the field, the intake form for the halls); hidden: reached by
// a link (the event detail), not listed in the menu or on the home page.
export const pages = [
  { path: HOME_PATH, title: 'menu.home', icon: 'HomeFilled', summary: 'home.summary' },
  { path: '/events/inbox', group: 'events', title: 'menu.inbox', icon: 'Tickets',
    permission: 'event.read', needsInbox: true, summary: 'inbox.summary' },
  { path: '/events/intake', group: 'events', title: 'menu.intake', icon: 'EditPen',
    permission: ['event.triage'], summary: 'intake.summary' },
  { path: '/events/report', group: 'events', title: 'menu.gridReport', icon: 'Camera',
    permission: 'event.report', roles: ['grid_worker', 'volunteer'], summary: 'report.summary' },
  { path: '/events', group: 'events', title: 'menu.eventSearch', icon: 'Search',
    permission: 'event.read', summary: 'events.summary' },
  { path: '/events/board', group: 'events', title: 'menu.board', icon: 'Monitor',
    permission: 'stats.read', summary: 'board.summary' },
  { path: '/events/detail', group: 'events', title: 'menu.eventDetail', icon: 'Document',
    permission: 'event.read', hidden: true },
  { path: '/divisions', group: 'org', title: 'menu.divisions', icon: 'MapLocation',
    permission: 'division.read', summary: 'divisions.summary' },
  { path: '/units', group: 'org', title: 'menu.units', icon: 'School',
    permission: 'unit.read', summary: 'units.summary' },
  { path: '/users', group: 'org', title: 'menu.users', icon: 'User',
    permission: 'user.read', summary: 'users.summary' },
  { path: '/registry/persons', group: 'registry', title: 'menu.persons', icon: 'Avatar',
    permission: 'person.read', summary: 'persons.summary' },
  { path: '/audit', group: 'system', title: 'menu.audit', icon: 'Document',
    permission: 'audit.read', summary: 'audit.summary' },
  { path: '/tokens', group: 'system', title: 'menu.tokens', icon: 'Key',
    permission: 'token.manage', summary: 'tokens.summary' },
];

function pageAllowed(page) {
  const needed = page.permission ? [].concat(page.permission) : [];
  if (needed.length && !needed.some(can))
    return false;
  if (page.roles && !(session.user && page.roles.some((role) => session.user.roles.includes(role))))
    return false;
  if (page.needsInbox && allowedInboxTabs.value.length === 0)
    return false;
  return true;
}

// The pages the signed-in user may open: menu and router agree on it.
export const allowedPages = computed(() => pages.filter(pageAllowed));

// What the menu and the home page list: the allowed pages but the hidden ones.
export const menuPages = computed(() => allowedPages.value.filter((page) => !page.hidden));

// The page for the current hash. An unknown or forbidden path shows home,
// so a link bookmarked under another role never opens a broken page.
export const currentPage = computed(() =>
  allowedPages.value.find((page) => page.path === route.path) || pages.find((page) => page.path === HOME_PATH));
