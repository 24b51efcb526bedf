// Picks a division by typing part of its name or code (GET /divisions?q=),
// within the signed-in user's scope. v-model is the division code; "label"
// names the initial value, which the search has not fetched yet.
import { ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { levelLabel } from '../format.js';
import { render } from './DivisionSelect.render.js';

export default {
  name: 'DivisionSelect',
  props: {
    modelValue: { type: [String, Array], default: '' },
    label: { type: String, default: '' },          // name of the initial value
    initialOptions: { type: Array, default: () => [] }, // [{code,name}] for multiple
    levels: { type: Array, default: () => [] },    // only these levels, e.g. ['grid']
    multiple: Boolean,
    placeholder: String,
  },
  emits: ['update:modelValue', 'picked'],
  setup(props, { emit }) {
    const options = ref([]);
    const loading = ref(false);
    let generation = 0;

    function seed() {
      const known = props.multiple ? props.initialOptions
        : props.modelValue ? [{ code: props.modelValue, name: props.label || props.modelValue }] : [];
      const seen = new Set(options.value.map((o) => o.code));
      options.value = [...options.value, ...known.filter((o) => !seen.has(o.code))];
    }
    seed();
    watch(() => [props.modelValue, props.label, props.initialOptions], seed);

    async function search(text) {
      const query = text.trim();
      if (!query)
        return;
      const mine = ++generation;
      loading.value = true;
      try {
        const answer = await api.get('/divisions', { q: query });
        if (mine !== generation)
          return;
        const wanted = props.levels.length ? answer.items.filter((d) => props.levels.includes(d.level)) : answer.items;
        options.value = wanted.filter((d) => !d.retired);
      } catch {
        if (mine === generation)
          options.value = [];
      } finally {
        if (mine === generation)
          loading.value = false;
      }
    }

    // picked: the chosen division(s) with their names, for callers that keep them.
    function update(value) {
      emit('update:modelValue', value);
      const codes = [].concat(value || []);
      emit('picked', options.value.filter((o) => codes.includes(o.code)));
    }

    return { options, loading, search, update, levelLabel };
  },
  render,
};
