// 单位: the units (departments, township offices, police stations ...) in the
// caller's scope, searchable by name and division; unit administrators can
// create, edit and retire them.
import { computed, reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { useCursorList } from '../cursor-list.js';
import { confirmAction, notifyError, notifySuccess } from '../feedback.js';
import { unitKindLabel } from '../format.js';
import { can } from '../session.js';
import CursorPager from '../common/CursorPager.js';
import DivisionSelect from '../common/DivisionSelect.js';
import UnitDialog from './UnitDialog.js';
import { viewport } from '../viewport.js';
import { render } from './UnitsPage.render.js';

export default {
  name: 'UnitsPage',
  components: { CursorPager, DivisionSelect, UnitDialog },
  setup() {
    const filters = reactive({ q: '', division: '', includeRetired: false });
    // Retired units are hidden unless asked for: they only matter for history.
    const list = useCursorList((page) => api.get('/units', {
      q: filters.q, division: filters.division, include_retired: filters.includeRetired ? 'true' : '', ...page,
    }));
    const dialog = ref({ open: false, unit: null });
    const canAdmin = computed(() => can('unit.admin'));

    async function retire(unit) {
      if (!(await confirmAction(t('unit.retireConfirm', { name: unit.name }), { danger: true })))
        return;
      try {
        await api.post(`/units/${unit.id}/retire`, { version: unit.version });
        notifySuccess(t('unit.retired'));
      } catch (err) {
        notifyError(err);
      }
      list.reload();
    }

    function resetFilters() {
      Object.assign(filters, { q: '', division: '', includeRetired: false });
      list.reset();
    }

    list.reset();
    return {
      viewport, filters, list, dialog, canAdmin, retire, resetFilters, unitKindLabel,
      openCreate: () => { dialog.value = { open: true, unit: null }; },
      openEdit: (unit) => { dialog.value = { open: true, unit }; },
    };
  },
  render,
};
