// Picks a unit by name (GET /units?q=). v-model is the unit id.
import { ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { render } from './UnitSelect.render.js';

export default {
  name: 'UnitSelect',
  props: {
    modelValue: { type: Number, default: null },
    label: { type: String, default: '' },
    placeholder: String,
  },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const options = ref([]);
    const loading = ref(false);
    let generation = 0;

    function seed() {
      if (props.modelValue && !options.value.some((o) => o.id === props.modelValue))
        options.value = [...options.value, { id: props.modelValue, name: props.label || String(props.modelValue) }];
    }
    seed();
    watch(() => [props.modelValue, props.label], seed);

    async function search(text) {
      const mine = ++generation;
      loading.value = true;
      try {
        const answer = await api.get('/units', { q: text.trim(), limit: 50 });
        if (mine === generation)
          options.value = answer.items.filter((u) => !u.retired);
      } catch {
        if (mine === generation)
          options.value = [];
      } finally {
        if (mine === generation)
          loading.value = false;
      }
    }

    return { options, loading, search, update: (value) => emit('update:modelValue', value || null) };
  },
  render,
};
