// Creates a unit, or edits one when "unit" is given.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { unitKinds, unitKindLabel } from '../format.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import DivisionSelect from '../common/DivisionSelect.js';
import { render } from './UnitDialog.render.js';

export default {
  name: 'UnitDialog',
  components: { DivisionSelect },
  props: { modelValue: Boolean, unit: { type: Object, default: null } },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ name: '', kind: '', division_code: '', phone: '' });
    const divisionLabel = ref('');
    const formRef = ref(null);
    const busy = ref(false);
    const isEdit = computed(() => Boolean(props.unit));
    const rules = computed(() => ({
      name: [{ required: true, message: t('unit.nameRequired'), trigger: 'blur' }],
      kind: [{ required: true, message: t('unit.kindRequired'), trigger: 'change' }],
      division_code: [{ required: true, message: t('unit.divisionRequired'), trigger: 'change' }],
    }));

    watch(() => props.modelValue, (open) => {
      if (!open)
        return;
      const u = props.unit || {};
      Object.assign(form, { name: u.name || '', kind: u.kind || '', division_code: u.division_code || '', phone: u.phone || '' });
      divisionLabel.value = u.division_name || '';
      if (formRef.value)
        formRef.value.clearValidate();
    });

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      const body = { name: form.name.trim(), kind: form.kind, division_code: form.division_code, phone: form.phone.trim() };
      try {
        if (isEdit.value)
          await api.patch(`/units/${props.unit.id}`, { ...body, version: props.unit.version });
        else
          await api.post('/units', body);
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
      form, formRef, busy, rules, isEdit, divisionLabel, unitKinds, unitKindLabel, submit, dialogWidth, labelPosition,
    };
  },
  render,
};
