// Moves a division under another parent; its code changes with it, since a
// GB/T 2260 code spells out its ancestors.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import DivisionSelect from '../common/DivisionSelect.js';
import { render } from './DivisionMoveDialog.render.js';

export default {
  name: 'DivisionMoveDialog',
  components: { DivisionSelect },
  props: { modelValue: Boolean, division: { type: Object, default: null } },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ parent_code: '', new_code: '' });
    const formRef = ref(null);
    const busy = ref(false);
    const rules = computed(() => ({
      parent_code: [{ required: true, message: t('division.parentRequired'), trigger: 'change' }],
      new_code: [{ required: true, message: t('division.codeRequired'), trigger: 'blur' }],
    }));

    watch(() => props.modelValue, (open) => {
      if (open && props.division)
        Object.assign(form, { parent_code: '', new_code: props.division.code });
    });

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      try {
        const moved = await api.post(`/divisions/${encodeURIComponent(props.division.code)}/move`, {
          parent_code: form.parent_code, new_code: form.new_code.trim(), version: props.division.version,
        });
        notifySuccess(t('division.moved'));
        emit('update:modelValue', false);
        emit('saved', moved || { code: form.new_code.trim() });
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return { form, formRef, busy, rules, submit, dialogWidth, labelPosition };
  },
  render,
};
