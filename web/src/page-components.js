// The component of each page in menu.js, by path.
import HomePage from './shell/HomePage.js';
import DivisionsPage from './org/DivisionsPage.js';
import UnitsPage from './org/UnitsPage.js';
import UsersPage from './org/UsersPage.js';
import AuditPage from './system/AuditPage.js';
import TokensPage from './system/TokensPage.js';

export const pageComponents = {
  '/home': HomePage,
  '/divisions': DivisionsPage,
  '/units': UnitsPage,
  '/users': UsersPage,
  '/audit': AuditPage,
  '/tokens': TokensPage,
};
