// How the console tells the user that something worked or failed, in one
// place so every page words it the same way.
import { ElMessage, ElMessageBox } from '../vendor/element-plus.js';
import { t } from './i18n.js';

// Shows an ApiError. 412 gets its own advice: another user changed the
// record since it was loaded, and only a reload shows what they did.
export function notifyError(err) {
  if (err && err.name === 'AbortError')
    return;
  if (err && err.status === 412) {
    ElMessage({ type: 'warning', message: t('error.stale'), duration: 6000 });
    return;
  }
  ElMessage({ type: 'error', message: (err && err.message) || t('error.unknown') });
}

export function notifySuccess(message) {
  ElMessage({ type: 'success', message });
}

// Resolves true when the user confirms, false when they cancel.
export async function confirmAction(message, { danger = false } = {}) {
  try {
    await ElMessageBox.confirm(message, t('common.confirmTitle'), {
      type: 'warning',
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: danger ? 'el-button--danger' : '',
    });
    return true;
  } catch {
    return false;
  }
}
