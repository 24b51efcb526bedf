// Picks an event category from the tree (GET /categories): a top category
// or one of its sub-categories. v-model is the category code.
import { useCategories } from './labels.js';
import { render } from './CategoryCascader.render.js';

export default {
  name: 'CategoryCascader',
  props: { modelValue: { type: String, default: '' }, placeholder: String },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const { tree } = useCategories();
    const cascaderProps = { checkStrictly: true, emitPath: false, value: 'code', label: 'name', expandTrigger: 'hover' };
    return { tree, cascaderProps, update: (value) => emit('update:modelValue', value || '') };
  },
  render,
};
