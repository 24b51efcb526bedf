// A grid worker's grids (网格) and duties (信息员/调解员/宣传员/代办员/巡防员).
import { ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dutyLabel, gridDuties } from '../format.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import DivisionSelect from '../common/DivisionSelect.js';
import { render } from './UserGridsDialog.render.js';

export default {
  name: 'UserGridsDialog',
  components: { DivisionSelect },
  props: { modelValue: Boolean, user: { type: Object, default: null } },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const grids = ref([]);       // codes
    const knownGrids = ref([]);  // [{code,name}] to label the codes already assigned
    const duties = ref([]);
    const loading = ref(false);
    const busy = ref(false);

    watch(() => props.modelValue, async (open) => {
      if (!open || !props.user)
        return;
      grids.value = [];
      duties.value = [];
      knownGrids.value = [];
      loading.value = true;
      try {
        const answer = await api.get(`/users/${props.user.id}/grids`);
        knownGrids.value = answer.grids || [];
        grids.value = knownGrids.value.map((g) => g.code);
        // Duties arrive as {name, label}; the PUT takes the names.
        duties.value = (answer.duties || []).map((duty) => (typeof duty === 'string' ? duty : duty.name));
      } catch (err) {
        notifyError(err);
      } finally {
        loading.value = false;
      }
    });

    async function submit() {
      busy.value = true;
      try {
        await api.put(`/users/${props.user.id}/grids`, { grids: grids.value, duties: duties.value });
        notifySuccess(t('common.saved'));
        emit('update:modelValue', false);
        emit('saved');
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return {
      grids, knownGrids, duties, loading, busy, gridDuties, dutyLabel, submit, dialogWidth, labelPosition,
    };
  },
  render,
};
