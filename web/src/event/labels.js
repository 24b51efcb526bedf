// The event hub's codes (states, channels, urgencies, colours ...) with
// their catalogue labels and tag colours, the category tree, and the few
// helpers every event page shares. The lists mirror src/domain/event/ and
// tests/browser/catalogue.test.mjs checks each value has its label.
import { computed, reactive, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { locale, t } from '../i18n.js';
import { session } from '../session.js';

export const eventStates = ['reported', 'accepted', 'dispatched', 'handling', 'handled', 'closed', 'rejected', 'merged'];
export const openStates = ['reported', 'accepted', 'dispatched', 'handling', 'handled'];
export const channels = ['walk_in', 'hotline', 'online', 'petition', 'grid', 'partner', 'internal'];
export const urgencies = ['normal', 'urgent', 'critical'];
export const colors = ['green', 'yellow', 'red'];
export const eventKinds = ['general', 'dispute', 'petition', 'death', 'hazard'];
export const eventLevels = ['grid', 'township', 'county'];
export const satisfactions = ['satisfied', 'basically', 'unsatisfied'];
export const petitionLevels = ['county', 'city', 'province', 'national'];
export const partyRoles = ['party', 'applicant', 'respondent', 'witness'];
export const attachmentPurposes = ['report', 'feedback', 'evidence'];
// Actions a user takes (POST /events/{id}/{action}), in the order buttons show.
export const eventActions = [
  'accept', 'dispatch', 'sign', 'feedback', 'verify', 'visit', 'sample', 'extend_request', 'extend_decide',
  'return', 'escalate', 'supervise', 'merge', 'reject',
];
// Timeline entries: the actions plus what intake, attachments and the deadline scanner write.
export const timelineActions = [
  ...eventActions, 'report', 'resolve_on_the_spot', 'merged_in', 'attach', 'auto_escalate', 'overdue', 'warn',
];
export const notificationKinds = [
  'dispatched', 'returned', 'handled', 'extension_requested', 'supervised', 'overdue', 'warning',
];

function labelOf(prefix, list, value) {
  return list.includes(value) ? t(`${prefix}.${value}`) : (value || '');
}

export const stateLabel = (v) => labelOf('event.state', eventStates, v);
export const channelLabel = (v) => labelOf('event.channel', channels, v);
export const urgencyLabel = (v) => labelOf('event.urgency', urgencies, v);
export const colorLabel = (v) => labelOf('event.color', colors, v);
export const kindLabel = (v) => labelOf('event.kind', eventKinds, v);
export const levelLabel = (v) => labelOf('event.level', eventLevels, v);
export const satisfactionLabel = (v) => labelOf('event.satisfaction', satisfactions, v);
export const petitionLevelLabel = (v) => labelOf('event.petitionLevel', petitionLevels, v);
export const partyRoleLabel = (v) => labelOf('event.partyRole', partyRoles, v);
export const purposeLabel = (v) => labelOf('event.purpose', attachmentPurposes, v);
export const actionLabel = (v) => labelOf('event.action', eventActions, v);
export const timelineLabel = (v) => labelOf('event.timeline', timelineActions, v);
export const notificationLabel = (v) => labelOf('notify.kind', notificationKinds, v);

// Element Plus tag types.
export function stateTagType(state) {
  return {
    reported: 'warning', accepted: 'primary', dispatched: 'primary', handling: 'primary',
    handled: 'warning', closed: 'success', rejected: 'info', merged: 'info',
  }[state] || 'info';
}

export function colorTagType(color) {
  return { green: 'success', yellow: 'warning', red: 'danger' }[color] || 'info';
}

export function urgencyTagType(urgency) {
  return { normal: 'info', urgent: 'warning', critical: 'danger' }[urgency] || 'info';
}

// Button look of each action in the detail page.
export function actionButtonType(action) {
  if (['reject', 'return'].includes(action))
    return 'danger';
  if (['escalate', 'supervise', 'merge', 'extend_request', 'extend_decide'].includes(action))
    return 'warning';
  return 'primary';
}

// A fresh Idempotency-Key. crypto.randomUUID() exists only in secure
// contexts (HTTPS or localhost); a county may run plain HTTP on its own
// network, where getRandomValues() still works.
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function')
    return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The county's UTC offset ("+08:00"), read from a time the server wrote,
// so "today" means the county's day whatever the browser's time zone.
export function countyOffset() {
  const stamp = (session.user && (session.user.updated_at || session.user.created_at)) || '';
  const match = stamp.match(/([+-]\d\d:\d\d)$/);
  if (match)
    return match[1];
  const minutes = -new Date().getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// The county's wall-clock time now as "YYYY-MM-DD HH:mm:ss".
export function countyClock(ms = Date.now()) {
  const offset = countyOffset();
  const sign = offset[0] === '-' ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(ms + minutes * 60000).toISOString().slice(0, 19).replace('T', ' ');
}

// Midnight of the county's today, as ISO 8601 with the offset.
export function countyTodayStart() {
  return `${countyClock().slice(0, 10)}T00:00:00${countyOffset()}`;
}

// Value format for el-date-picker: ISO 8601 with the browser's offset.
export const TIME_FORMAT = 'YYYY-MM-DD[T]HH:mm:ssZ';

// ---------- categories (GET /categories), shared by every page ----------

const categoryState = reactive({ items: [], loadedLocale: null, pending: null });

function loadCategories() {
  const wanted = locale.value;
  if (categoryState.loadedLocale === wanted)
    return Promise.resolve();
  if (categoryState.pending)
    return categoryState.pending;
  categoryState.pending = api.get('/categories')
    .then((answer) => { categoryState.items = answer.items || []; categoryState.loadedLocale = wanted; })
    .catch(() => {})
    .finally(() => { categoryState.pending = null; });
  return categoryState.pending;
}

watch(locale, () => { if (categoryState.loadedLocale) loadCategories(); });

// The category tree for cascaders, the flat list with group names for
// selects on phones, and lookups by code.
export function useCategories() {
  loadCategories();
  const items = computed(() => categoryState.items.filter((c) => !c.retired));
  const byCode = computed(() => Object.fromEntries(categoryState.items.map((c) => [c.code, c])));
  const tree = computed(() => {
    const roots = items.value.filter((c) => !c.parent_code).map((c) => ({ code: c.code, name: c.name, kind: c.kind }));
    for (const root of roots) {
      const children = items.value.filter((c) => c.parent_code === root.code)
        .map((c) => ({ code: c.code, name: c.name, kind: c.kind }));
      if (children.length)
        root.children = children;
    }
    return roots;
  });
  // [{label, options: [{code, name}]}]: a group per top category, the top itself first.
  const groups = computed(() => tree.value.map((root) => ({
    label: root.name,
    options: [{ code: root.code, name: root.name }, ...(root.children || [])],
  })));
  const ready = () => loadCategories();
  // An event's {code, name}: the name in the user's language (event
  // summaries carry the Chinese name whatever the language).
  const categoryName = (category) => {
    if (!category)
      return '';
    const known = byCode.value[category.code];
    return known ? known.name : category.name;
  };
  return { items, byCode, tree, groups, ready, categoryName };
}
