// One division's facts and, for division administrators, what can be done
// to it. The actions are emitted: the page owns the dialogs.
import { computed } from '../../vendor/vue.js';
import { levelLabel, levelTagType } from '../format.js';
import { viewport } from '../viewport.js';
import { render } from './DivisionDetail.render.js';

export default {
  name: 'DivisionDetail',
  props: {
    division: { type: Object, required: true },
    canAdmin: Boolean,
  },
  emits: ['create', 'edit', 'move', 'retire', 'select'],
  setup(props) {
    const hasCentre = computed(() => props.division.lat !== null && props.division.lat !== undefined);
    // Grids are the smallest unit: nothing is created under them.
    const canHaveChildren = computed(() => props.division.level !== 'grid');
    return { hasCentre, canHaveChildren, levelLabel, levelTagType, viewport };
  },
  render,
};
