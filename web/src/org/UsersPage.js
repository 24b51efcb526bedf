// 用户: accounts in the caller's scope, searchable by name and role. User
// administrators create and edit accounts, lock and unlock them (an
// administrator's lock is "disabled" in the API; "locked" is the temporary
// lock-out after repeated wrong passwords, which unlock also lifts), set a new
// password (which the user must change) and give grid workers their grids
// and duties.
import { computed, reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { useCursorList } from '../cursor-list.js';
import { confirmAction, notifyError, notifySuccess } from '../feedback.js';
import { can, session } from '../session.js';
import { useRoleLabels } from '../common/roles.js';
import CursorPager from '../common/CursorPager.js';
import UserDialog from './UserDialog.js';
import UserPasswordDialog from './UserPasswordDialog.js';
import UserGridsDialog from './UserGridsDialog.js';
import { viewport } from '../viewport.js';
import { render } from './UsersPage.render.js';

export default {
  name: 'UsersPage',
  components: { CursorPager, UserDialog, UserPasswordDialog, UserGridsDialog },
  setup() {
    const filters = reactive({ q: '', role: '' });
    const list = useCursorList((page) => api.get('/users', { ...filters, ...page }));
    const { roles, roleLabel } = useRoleLabels();
    const canAdmin = computed(() => can('user.admin'));
    const editing = ref({ open: false, user: null });
    const passwordFor = ref({ open: false, user: null });
    const gridsFor = ref({ open: false, user: null });

    async function setLocked(user, locked) {
      const question = locked ? 'user.lockConfirm' : 'user.unlockConfirm';
      if (!(await confirmAction(t(question, { name: user.display_name || user.username }), { danger: locked })))
        return;
      try {
        await api.post(`/users/${user.id}/${locked ? 'lock' : 'unlock'}`);
        notifySuccess(t(locked ? 'user.locked' : 'user.unlocked'));
      } catch (err) {
        notifyError(err);
      }
      list.reload();
    }

    function resetFilters() {
      Object.assign(filters, { q: '', role: '' });
      list.reset();
    }

    list.reset();
    return {
      viewport, filters, list, roles, roleLabel, canAdmin, editing, passwordFor, gridsFor, session,
      setLocked, resetFilters,
      openCreate: () => { editing.value = { open: true, user: null }; },
      openEdit: (user) => { editing.value = { open: true, user }; },
      openPassword: (user) => { passwordFor.value = { open: true, user }; },
      openGrids: (user) => { gridsFor.value = { open: true, user }; },
    };
  },
  render,
};
