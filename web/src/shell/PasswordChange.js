// Changes the signed-in user's own password. "forced" is the first sign-in
// (or after an administrator's reset): the dialog cannot be dismissed, only
// completed or abandoned by signing out.
import { reactive, ref, computed } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { loadSession, signOut } from '../session.js';
import { dialogWidth } from '../viewport.js';
import { render } from './PasswordChange.render.js';

export default {
  name: 'PasswordChange',
  props: { modelValue: Boolean, forced: Boolean },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const form = reactive({ old_password: '', new_password: '', confirm: '' });
    const formRef = ref(null);
    const busy = ref(false);
    const rules = computed(() => ({
      old_password: [{ required: true, message: t('password.oldRequired'), trigger: 'blur' }],
      new_password: [{ required: true, message: t('password.newRequired'), trigger: 'blur' }],
      confirm: [{
        required: true,
        trigger: 'blur',
        validator: (rule, value, done) => done(value === form.new_password ? undefined : new Error(t('password.mismatch'))),
      }],
    }));

    function close() {
      formRef.value && formRef.value.resetFields();
      emit('update:modelValue', false);
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      try {
        await api.post('/me/password', { old_password: form.old_password, new_password: form.new_password });
        notifySuccess(t('password.changed'));
        close();
        if (props.forced)
          await loadSession(); // must_change_password is now false: the console opens
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return { form, formRef, busy, rules, submit, close, signOut, dialogWidth };
  },
  render,
};
