// 实有人口: the registry of residents in the caller's scope. Personal data is
// stored encrypted with a keyed blind index, so a lookup by ID number, name
// or phone matches the whole value only; the list can also be narrowed by
// division and kind. Registering, editing and CSV import need person.write;
// showing a resident's data in clear needs pii.reveal and a reason (audited).
import { computed, reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { useCursorList } from '../cursor-list.js';
import { formatTime, personKinds, personKindLabel, personSearchKeys, sexLabel } from '../format.js';
import { t } from '../i18n.js';
import { can } from '../session.js';
import { viewport } from '../viewport.js';
import CursorPager from '../common/CursorPager.js';
import CsvImportDialog from '../common/CsvImportDialog.js';
import DivisionSelect from '../common/DivisionSelect.js';
import PersonDialog from './PersonDialog.js';
import PersonRevealDialog from './PersonRevealDialog.js';
import { render } from './PersonsPage.render.js';

// The CSV import takes id_number,name,kind,division_code[,phone,address], or
// the Chinese headings of a paper register, up to the server's limit for the
// route.
const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

// The column an import row error names, in the user's words.
function importFieldLabel(field) {
  switch (field) {
  case 'id_number': return t('person.field.id_number');
  case 'name': return t('person.field.name');
  case 'kind': return t('person.field.kind');
  case 'division_code': return t('person.field.division_code');
  case 'phone': return t('person.field.phone');
  case 'address': return t('person.field.address');
  case 'header': return t('person.field.header');
  default: return field || '';
  }
}

function importedText(answer) {
  return t('person.imported', { count: answer.imported, created: answer.created, updated: answer.updated });
}

// What the search box holds, as the server wants it: ID numbers with an
// upper-case check character, no spaces inside ID or phone numbers.
function cleanKeyword(by, text) {
  const value = text.trim();
  if (by === 'id_number')
    return value.replace(/\s+/g, '').toUpperCase();
  if (by === 'phone')
    return value.replace(/[\s-]+/g, '');
  return value;
}

export default {
  name: 'PersonsPage',
  components: { CursorPager, CsvImportDialog, DivisionSelect, PersonDialog, PersonRevealDialog },
  setup() {
    const filters = reactive({ by: 'id_number', keyword: '', division: '', kind: '' });
    // The query the list shows: taken from the form on "search", so that
    // paging keeps the query the page was loaded with.
    const applied = reactive({ by: 'id_number', keyword: '', division: '', kind: '' });
    const byIdNumber = computed(() => filters.by === 'id_number' && filters.keyword.trim() !== '');

    const list = useCursorList((page) => {
      const keyword = cleanKeyword(applied.by, applied.keyword);
      // The server takes an ID number alone (it names one person at most).
      if (applied.by === 'id_number' && keyword)
        return api.get('/persons', { id_number: keyword, limit: page.limit });
      return api.get('/persons', {
        [applied.by]: keyword, division: applied.division, kind: applied.kind, ...page,
      });
    });

    const dialog = ref({ open: false, person: null });
    const importOpen = ref(false);
    const reveal = ref({ open: false, person: null });
    const canWrite = computed(() => can('person.write'));
    const canReveal = computed(() => can('pii.reveal'));

    function search() {
      Object.assign(applied, filters);
      return list.reset();
    }

    function resetFilters() {
      Object.assign(filters, { by: 'id_number', keyword: '', division: '', kind: '' });
      return search();
    }

    search();
    return {
      viewport, filters, list, dialog, importOpen, reveal, canWrite, canReveal, byIdNumber, searchKeys: personSearchKeys,
      personKinds, personKindLabel, sexLabel, formatTime, search, resetFilters,
      importMaxBytes: IMPORT_MAX_BYTES, importFieldLabel, importedText,
      openCreate: () => { dialog.value = { open: true, person: null }; },
      openEdit: (person) => { dialog.value = { open: true, person }; },
      openReveal: (person) => { reveal.value = { open: true, person }; },
    };
  },
  render,
};
