// The component of each page in menu.js, by path.
import HomePage from './shell/HomePage.js';
import InboxPage from './event/InboxPage.js';
import IntakePage from './event/IntakePage.js';
import GridReportPage from './event/GridReportPage.js';
import EventsPage from './event/EventsPage.js';
import BoardPage from './event/BoardPage.js';
import EventDetailPage from './event/EventDetailPage.js';
import DivisionsPage from './org/DivisionsPage.js';
import UnitsPage from './org/UnitsPage.js';
import UsersPage from './org/UsersPage.js';
import PersonsPage from './registry/PersonsPage.js';
import AuditPage from './system/AuditPage.js';
import TokensPage from './system/TokensPage.js';

export const pageComponents = {
  '/home': HomePage,
  '/events/inbox': InboxPage,
  '/events/intake': IntakePage,
  '/events/report': GridReportPage,
  '/events': EventsPage,
  '/events/board': BoardPage,
  '/events/detail': EventDetailPage,
  '/divisions': DivisionsPage,
  '/units': UnitsPage,
  '/users': UsersPage,
  '/registry/persons': PersonsPage,
  '/audit': AuditPage,
  '/tokens': TokensPage,
};
