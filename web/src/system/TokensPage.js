// 我的令牌: API tokens for scripts and partner systems. A token carries a
// subset of its owner's permissions, and its secret is shown exactly once.
import { computed, reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { confirmAction, notifyError, notifySuccess } from '../feedback.js';
import { formatTime, permissionLabel } from '../format.js';
import { session } from '../session.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import { viewport } from '../viewport.js';
import { render } from './TokensPage.render.js';

// Permissions that make no sense for a token of one's own.
const NOT_FOR_TOKENS = ['signed_in', 'token.manage'];

export default {
  name: 'TokensPage',
  setup() {
    const items = ref([]);
    const loading = ref(false);
    const createOpen = ref(false);
    const created = ref(null); // {name, token}: the secret, shown once
    const busy = ref(false);
    const form = reactive({ name: '', permissions: [], expires_at: null });
    const formRef = ref(null);
    const grantable = computed(() => session.user.permissions.filter((p) => !NOT_FOR_TOKENS.includes(p)));
    const rules = computed(() => ({
      name: [{ required: true, message: t('token.nameRequired'), trigger: 'blur' }],
      permissions: [{ type: 'array', required: true, min: 1, message: t('token.permissionsRequired'), trigger: 'change' }],
    }));

    async function load() {
      loading.value = true;
      try {
        items.value = (await api.get('/tokens')).items;
      } catch (err) {
        notifyError(err);
      } finally {
        loading.value = false;
      }
    }

    function openCreate() {
      Object.assign(form, { name: '', permissions: [], expires_at: null });
      created.value = null;
      createOpen.value = true;
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      try {
        const body = { name: form.name.trim(), permissions: form.permissions };
        if (form.expires_at)
          body.expires_at = form.expires_at;
        created.value = await api.post('/tokens', body);
        load();
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    async function revoke(token) {
      if (!(await confirmAction(t('token.revokeConfirm', { name: token.name }), { danger: true })))
        return;
      try {
        await api.delete(`/tokens/${token.id}`);
        notifySuccess(t('token.revoked'));
      } catch (err) {
        notifyError(err);
      }
      load();
    }

    async function copy(text) {
      try {
        await navigator.clipboard.writeText(text);
        notifySuccess(t('token.copied'));
      } catch {
        notifyError({ message: t('token.copyFailed') });
      }
    }

    load();
    return {
      viewport, items, loading, createOpen, created, busy, form, formRef, grantable, rules,
      openCreate, submit, revoke, copy, formatTime, permissionLabel, dialogWidth, labelPosition,
      TIME_FORMAT: 'YYYY-MM-DD[T]HH:mm:ssZ',
    };
  },
  render,
};
