// Display formats shared by tables and detail panels.
import { t } from './i18n.js';

// "2026-11-28T10:00:00+08:00" -> "2026-11-28 10:00:00": the server already
// answers in the county's local time, so only the separators change.
export function formatTime(iso) {
  if (!iso)
    return '';
  return iso.replace('T', ' ').replace(/(\.\d+)?([+-]\d\d:\d\d|Z)$/, '');
}

export const divisionLevels = ['county', 'township', 'village', 'grid'];

export function levelLabel(level) {
  return divisionLevels.includes(level) ? t(`division.level.${level}`) : level;
}

// Element Plus tag colours, one per level, as on the map.
export function levelTagType(level) {
  return { county: 'primary', township: 'success', village: 'warning', grid: 'danger' }[level] || 'info';
}

// The five duties of a grid worker (全科网格员).
export const gridDuties = ['informant', 'mediator', 'publicist', 'agent', 'patroller'];

export function dutyLabel(duty) {
  return gridDuties.includes(duty) ? t(`duty.${duty}`) : duty;
}

// Audit actions with a catalogue label; others are shown by their code.
export const auditActions = [
  'session.signin', 'session.signin_failed', 'session.signout',
  'user.create', 'user.update', 'user.lock', 'user.unlock', 'user.password_change',
  'user.password_reset', 'user.grids',
  'division.create', 'division.update', 'division.move', 'division.retire', 'division.import',
  'unit.create', 'unit.update', 'unit.retire',
  'token.create', 'token.revoke',
  'person.create', 'person.update', 'person.import', 'person.reveal',
];

export function actionLabel(action) {
  return auditActions.includes(action) ? t(`audit.action.${action}`) : action;
}

// Kinds of unit, as the server knows them (src/domain/org/unit.h).
export const unitKinds = [
  'department', 'judicial', 'police_station', 'center', 'township_office', 'community', 'other',
];

export function unitKindLabel(kind) {
  return unitKinds.includes(kind) ? t(`unit.kind.${kind}`) : kind;
}

// Permissions a user or an API token can hold (src/domain/auth/roles.h).
export const permissions = [
  'division.read', 'division.admin', 'unit.read', 'unit.admin', 'user.read', 'user.admin',
  'audit.read', 'token.manage', 'metrics.read', 'pii.reveal', 'person.read', 'person.write',
];

export function permissionLabel(permission) {
  return permissions.includes(permission) ? t(`perm.${permission}`) : permission;
}

// Kinds of resident in the registry (实有人口), as the server knows them
// (src/domain/registry/person.c); the server also sends kind_label.
export const personKinds = ['registered', 'floating', 'overseas'];

export function personKindLabel(kind) {
  return personKinds.includes(kind) ? t(`person.kind.${kind}`) : kind;
}

// What the registry looks residents up by (whole values only: blind index).
export const personSearchKeys = ['id_number', 'name', 'phone'];

// GB 11643 sex codes as the server sends them (from the ID number).
export const sexes = ['M', 'F'];

export function sexLabel(sex) {
  return sexes.includes(sex) ? t(`person.sex.${sex}`) : sex || '';
}
