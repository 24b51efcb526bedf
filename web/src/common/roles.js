// Role names and their labels come from the server (GET /roles), which
// answers in the language asked for; reloaded when the language changes.
import { computed, reactive, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { locale } from '../i18n.js';

const state = reactive({ items: [], loadedLocale: null, pending: null });

function load() {
  const wanted = locale.value;
  if (state.loadedLocale === wanted || state.pending)
    return state.pending;
  state.pending = api.get('/roles')
    .then((answer) => { state.items = answer.items; state.loadedLocale = wanted; })
    .catch(() => {}) // labels fall back to the role names
    .finally(() => { state.pending = null; });
  return state.pending;
}

watch(locale, () => { if (state.loadedLocale) load(); });

export function useRoleLabels() {
  load();
  const roles = computed(() => state.items);
  function roleLabel(name) {
    const found = state.items.find((role) => role.name === name);
    return found ? found.label : name;
  }
  return { roles, roleLabel };
}
