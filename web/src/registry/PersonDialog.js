// Registers a resident, or edits one when "person" is given. The list shows
// personal data masked, so an edit cannot start from the clear values: the
// name must be entered again in full; a phone or address left empty is not
// sent, and the server keeps the one on record. A 422 that names a field shows under that field,
// a 409 (already registered) in the dialog; a 412 (someone else changed the
// record) closes the dialog and reloads the list.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { personKinds, personKindLabel } from '../format.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import DivisionSelect from '../common/DivisionSelect.js';
import { render } from './PersonDialog.render.js';

const FIELDS = ['id_number', 'name', 'kind', 'division_code', 'phone', 'address'];

export default {
  name: 'PersonDialog',
  components: { DivisionSelect },
  props: { modelValue: Boolean, person: { type: Object, default: null } },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ id_number: '', name: '', kind: '', division_code: '', phone: '', address: '' });
    const fieldErrors = reactive(Object.fromEntries(FIELDS.map((f) => [f, ''])));
    const failure = ref('');          // an error that belongs to no one field (409 ...)
    const divisionLabel = ref('');
    const formRef = ref(null);
    const busy = ref(false);
    const isEdit = computed(() => Boolean(props.person));
    const rules = computed(() => ({
      id_number: isEdit.value ? [] : [{ required: true, message: t('person.idRequired'), trigger: 'blur' }],
      name: [{ required: true, message: t('person.nameRequired'), trigger: 'blur' }],
      kind: [{ required: true, message: t('person.kindRequired'), trigger: 'change' }],
      division_code: [{ required: true, message: t('person.divisionRequired'), trigger: 'change' }],
    }));

    function clearErrors() {
      for (const f of FIELDS)
        fieldErrors[f] = '';
      failure.value = '';
    }

    watch(() => props.modelValue, (open) => {
      if (!open)
        return;
      const p = props.person || {};
      Object.assign(form, {
        id_number: '', name: '', kind: p.kind || '', division_code: p.division ? p.division.code : '',
        phone: '', address: '',
      });
      divisionLabel.value = p.division ? p.division.name : '';
      clearErrors();
      if (formRef.value)
        formRef.value.clearValidate();
    });

    // Typing into a field takes its server message away.
    for (const f of FIELDS)
      watch(() => form[f], () => { fieldErrors[f] = ''; });

    // "Was: 王*" in an edited field, when there was something; phone and
    // address add that leaving them empty keeps them.
    function was(value, keeps) {
      if (!value)
        return '';
      return t(keeps ? 'person.wasKept' : 'person.was', { value });
    }

    async function submit() {
      clearErrors();
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      const body = {
        name: form.name.trim(), kind: form.kind, division_code: form.division_code,
        phone: form.phone.replace(/[\s-]+/g, ''), address: form.address.trim(),
      };
      if (isEdit.value && !body.phone)
        delete body.phone;
      if (isEdit.value && !body.address)
        delete body.address;
      busy.value = true;
      try {
        if (isEdit.value) {
          await api.patch(`/persons/${props.person.id}`, body, { ifMatch: props.person.version });
          notifySuccess(t('common.saved'));
        } else {
          await api.post('/persons', { ...body, id_number: form.id_number.replace(/\s+/g, '').toUpperCase() });
          notifySuccess(t('person.registeredOk'));
        }
        emit('update:modelValue', false);
        emit('saved');
      } catch (err) {
        if (err.status === 412) {
          notifyError(err);
          emit('update:modelValue', false);
          emit('saved');
        } else if (err.status === 422 && FIELDS.includes(err.field)) {
          fieldErrors[err.field] = err.message;
        } else if (err.status === 409 || err.status === 422) {
          failure.value = err.message;
        } else {
          notifyError(err);
        }
      } finally {
        busy.value = false;
      }
    }

    return {
      form, formRef, busy, rules, isEdit, divisionLabel, fieldErrors, failure, personKinds, personKindLabel,
      was, submit, dialogWidth, labelPosition,
    };
  },
  render,
};
