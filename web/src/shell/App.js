// The root: sign-in until a session exists, then the forced password change
// if the server demands it (every other call answers 403 until then), then
// the console itself. The Element Plus locale follows the language toggle.
import { onMounted } from '../../vendor/vue.js';
import { elementLocale } from '../i18n.js';
import { session, loadSession } from '../session.js';
import SignIn from './SignIn.js';
import PasswordChange from './PasswordChange.js';
import AppLayout from './AppLayout.js';
import { render } from './App.render.js';

export default {
  name: 'App',
  components: { SignIn, PasswordChange, AppLayout },
  setup() {
    onMounted(loadSession);
    return { session, elementLocale };
  },
  render,
};
