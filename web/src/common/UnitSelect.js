// Picks a unit by name (GET /units?q=). v-model is the unit id, or a list
// of ids with "multiple" (co-units of a dispatch). "label" names the
// initial single value; initialOptions ([{id, name}]) names initial ones.
import { ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { render } from './UnitSelect.render.js';

export default {
  name: 'UnitSelect',
  props: {
    modelValue: { type: [Number, Array], default: null },
    label: { type: String, default: '' },
    initialOptions: { type: Array, default: () => [] },
    multiple: Boolean,
    exclude: { type: Array, default: () => [] }, // ids not to offer
    placeholder: String,
  },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const options = ref([]);
    const loading = ref(false);
    let generation = 0;

    // Names the units already chosen: initialOptions first, then label.
    function seed() {
      const known = [...props.initialOptions];
      if (!props.multiple && props.modelValue && !known.some((o) => o.id === props.modelValue))
        known.push({ id: props.modelValue, name: props.label || String(props.modelValue) });
      const byId = new Map(options.value.map((o) => [o.id, o]));
      for (const o of known) {
        const had = byId.get(o.id);
        if (o.id && (!had || had.name === String(had.id)))
          byId.set(o.id, o);
      }
      options.value = [...byId.values()];
    }
    seed();
    watch(() => [props.modelValue, props.label, props.initialOptions], seed);

    async function search(text) {
      const mine = ++generation;
      loading.value = true;
      try {
        const answer = await api.get('/units', { q: text.trim(), limit: 50 });
        if (mine !== generation)
          return;
        // The chosen units stay, so their names keep showing.
        const chosen = new Set([].concat(props.modelValue || []));
        const kept = options.value.filter((o) => chosen.has(o.id));
        const found = answer.items.filter((u) => !u.retired && !props.exclude.includes(u.id) && !chosen.has(u.id));
        options.value = [...kept, ...found];
      } catch {
        if (mine === generation)
          options.value = [];
      } finally {
        if (mine === generation)
          loading.value = false;
      }
    }

    function update(value) {
      emit('update:modelValue', props.multiple ? (value || []) : (value || null));
    }

    // Opening the list shows units before anything is typed.
    let listed = false;
    function onOpen(open) {
      if (open && !listed) {
        listed = true;
        search('');
      }
    }

    return { options, loading, search, update, onOpen };
  },
  render,
};
