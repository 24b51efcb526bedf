// 行政区划: the tree of the caller's scope, the selected division's facts and
// its outlines on a map, and for division administrators create, edit, move,
// retire and CSV import. The selection lives in the address (#/divisions?code=)
// so it survives a reload and the back button works.
import { computed, ref, watch } from '../../vendor/vue.js';
import { api, apiUrl } from '../api.js';
import { t } from '../i18n.js';
import { confirmAction, notifyError, notifySuccess } from '../feedback.js';
import { navigate, route } from '../router.js';
import { can } from '../session.js';
import DivisionTree from './DivisionTree.js';
import DivisionDetail from './DivisionDetail.js';
import DivisionMap from './DivisionMap.js';
import DivisionDialog from './DivisionDialog.js';
import DivisionMoveDialog from './DivisionMoveDialog.js';
import CsvImportDialog from '../common/CsvImportDialog.js';
import { render } from './DivisionsPage.render.js';

// The CSV import (code,name,level,parent_code,lat,lng) is refused above the
// server's limit for the route.
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

export default {
  name: 'DivisionsPage',
  components: { DivisionTree, DivisionDetail, DivisionMap, DivisionDialog, DivisionMoveDialog, CsvImportDialog },
  setup() {
    const treeRef = ref(null);
    const selectedCode = computed(() => route.query.code || '');
    const division = ref(null);
    const loadingDetail = ref(false);
    const mapRevision = ref(0);
    const dialog = ref({ open: false, mode: 'create' });
    const moveOpen = ref(false);
    const importOpen = ref(false);
    const canAdmin = computed(() => can('division.admin'));
    let generation = 0;

    function select(code) {
      navigate('/divisions', { code });
    }

    async function loadDetail(code) {
      const mine = ++generation;
      if (!code) {
        division.value = null;
        return;
      }
      loadingDetail.value = true;
      try {
        const answer = await api.get(`/divisions/${encodeURIComponent(code)}`);
        if (mine === generation)
          division.value = answer;
      } catch (err) {
        if (mine === generation) {
          division.value = null;
          notifyError(err);
        }
      } finally {
        if (mine === generation)
          loadingDetail.value = false;
      }
    }

    watch(selectedCode, loadDetail, { immediate: true });

    // With nothing chosen yet, open on the top of the user's scope.
    function onRoots(roots) {
      if (!selectedCode.value && roots.length)
        select(roots[0].code);
    }

    function afterSave(saved) {
      const parentCode = dialog.value.mode === 'create' ? division.value.code : division.value.parent_code;
      treeRef.value.refreshChildren(parentCode);
      mapRevision.value++;
      if (dialog.value.mode === 'create' && saved && saved.code)
        select(saved.code);
      else
        loadDetail(selectedCode.value);
    }

    function afterMove(moved) {
      treeRef.value.refreshChildren(null);
      select(moved.code);
    }

    async function retire() {
      const d = division.value;
      if (!(await confirmAction(t('division.retireConfirm', { name: d.name }), { danger: true })))
        return;
      try {
        await api.post(`/divisions/${encodeURIComponent(d.code)}/retire`, { version: d.version });
        notifySuccess(t('division.retired'));
        treeRef.value.refreshChildren(d.parent_code);
        loadDetail(d.code);
      } catch (err) {
        notifyError(err);
        if (err.status === 412)
          loadDetail(d.code);
      }
    }

    function afterImport() {
      treeRef.value.refreshChildren(null);
      mapRevision.value++;
    }

    return {
      treeRef, selectedCode, division, loadingDetail, mapRevision, dialog, moveOpen, importOpen, canAdmin,
      exportUrl: apiUrl('/divisions/export'),
      importMaxBytes: IMPORT_MAX_BYTES,
      importedText: (answer) => t('division.imported', { count: answer.imported }),
      select, onRoots, afterSave, afterMove, retire, afterImport,
      openCreate: () => { dialog.value = { open: true, mode: 'create' }; },
      openEdit: () => { dialog.value = { open: true, mode: 'edit' }; },
    };
  },
  render,
};
