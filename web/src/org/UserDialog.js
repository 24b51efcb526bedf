// Creates an account (with an initial password the user must change at
// first sign-in) or edits one's name, roles, division and unit.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import DivisionSelect from '../common/DivisionSelect.js';
import UnitSelect from '../common/UnitSelect.js';
import { render } from './UserDialog.render.js';

function emptyForm() {
  return { username: '', display_name: '', roles: [], division_code: '', unit_id: null, password: '' };
}

export default {
  name: 'UserDialog',
  components: { DivisionSelect, UnitSelect },
  props: {
    modelValue: Boolean,
    user: { type: Object, default: null },
    roles: { type: Array, default: () => [] },
  },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const form = reactive(emptyForm());
    const formRef = ref(null);
    const busy = ref(false);
    const isEdit = computed(() => Boolean(props.user));
    const rules = computed(() => ({
      username: [{ required: !isEdit.value, message: t('user.usernameRequired'), trigger: 'blur' }],
      display_name: [{ required: true, message: t('user.displayNameRequired'), trigger: 'blur' }],
      roles: [{ type: 'array', required: true, min: 1, message: t('user.rolesRequired'), trigger: 'change' }],
      password: [{ required: !isEdit.value, message: t('user.passwordRequired'), trigger: 'blur' }],
    }));

    watch(() => props.modelValue, (open) => {
      if (!open)
        return;
      Object.assign(form, emptyForm());
      if (props.user) {
        const u = props.user;
        Object.assign(form, {
          username: u.username, display_name: u.display_name, roles: [...u.roles],
          division_code: u.division_code || '', unit_id: u.unit_id ?? null,
        });
      }
      if (formRef.value)
        formRef.value.clearValidate();
    });

    // On create, blank optional fields are left out (no division = whole
    // county, no unit). On edit the server reads an absent field as
    // "unchanged" and null as "cleared", so both are always sent.
    function body() {
      const out = { display_name: form.display_name.trim(), roles: form.roles };
      if (isEdit.value)
        return { ...out, division_code: form.division_code || null, unit_id: form.unit_id || null, version: props.user.version };
      if (form.division_code)
        out.division_code = form.division_code;
      if (form.unit_id)
        out.unit_id = form.unit_id;
      return { ...out, username: form.username.trim(), password: form.password };
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      try {
        if (isEdit.value)
          await api.patch(`/users/${props.user.id}`, body());
        else
          await api.post('/users', body());
        notifySuccess(isEdit.value ? t('common.saved') : t('user.created'));
        emit('update:modelValue', false);
        emit('saved');
      } catch (err) {
        notifyError(err);
        if (err.status === 412)
          emit('saved'); // reload the list so the next edit starts from the new version
      } finally {
        busy.value = false;
      }
    }

    return { form, formRef, busy, rules, isEdit, submit, dialogWidth, labelPosition };
  },
  render,
};
