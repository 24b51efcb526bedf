// Sets a new password for another user, e.g. one who forgot theirs. They
// must change it at their next sign-in, so the administrator never knows a
// password in use.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth } from '../viewport.js';
import { render } from './UserPasswordDialog.render.js';

export default {
  name: 'UserPasswordDialog',
  props: { modelValue: Boolean, user: { type: Object, default: null } },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ password: '' });
    const formRef = ref(null);
    const busy = ref(false);
    const rules = computed(() => ({
      password: [{ required: true, message: t('user.passwordRequired'), trigger: 'blur' }],
    }));

    watch(() => props.modelValue, (open) => {
      if (open) {
        form.password = '';
        if (formRef.value)
          formRef.value.clearValidate();
      }
    });

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      try {
        await api.post(`/users/${props.user.id}/password`, { password: form.password });
        notifySuccess(t('user.passwordReset'));
        emit('update:modelValue', false);
        emit('saved');
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return { form, formRef, busy, rules, submit, dialogWidth };
  },
  render,
};
