// Sign-in page. A wrong password shows the server's own message (it says
// neither which half was wrong nor whether the account exists).
import { reactive, ref, computed } from '../../vendor/vue.js';
import { t } from '../i18n.js';
import { session, signIn } from '../session.js';
import LanguageToggle from './LanguageToggle.js';
import { render } from './SignIn.render.js';

export default {
  name: 'SignIn',
  components: { LanguageToggle },
  setup() {
    const form = reactive({ username: '', password: '' });
    const formRef = ref(null);
    const busy = ref(false);
    const errorMessage = ref('');
    const rules = computed(() => ({
      username: [{ required: true, message: t('signin.usernameRequired'), trigger: 'blur' }],
      password: [{ required: true, message: t('signin.passwordRequired'), trigger: 'blur' }],
    }));

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      errorMessage.value = '';
      try {
        await signIn(form.username.trim(), form.password);
      } catch (err) {
        errorMessage.value = err.message;
        form.password = '';
      } finally {
        busy.value = false;
      }
    }

    return { form, formRef, busy, errorMessage, rules, submit, session };
  },
  render,
};
