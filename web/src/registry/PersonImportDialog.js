// Imports residents from a CSV file (id_number,name,kind,division_code
// [,phone,address], or the Chinese headings of a paper register). The server
// takes all rows or none; when it refuses it lists every bad row with the
// field and the reason, and the dialog shows that list as a table.
import { ref, watch } from '../../vendor/vue.js';
import { request } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth } from '../viewport.js';
import { render } from './PersonImportDialog.render.js';

const MAX_FILE_BYTES = 32 * 1024 * 1024; // the server's limit for this route

// The column a row error names, in the user's words.
function fieldLabel(field) {
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

export default {
  name: 'PersonImportDialog',
  props: { modelValue: Boolean },
  emits: ['update:modelValue', 'imported'],
  setup(props, { emit }) {
    const file = ref(null);
    const busy = ref(false);
    const failure = ref(null); // { message, count, rows: [{line, field, reason}] }
    const uploadRef = ref(null);

    watch(() => props.modelValue, (open) => {
      if (!open)
        return;
      file.value = null;
      failure.value = null;
      if (uploadRef.value)
        uploadRef.value.clearFiles();
    });

    // el-upload hands over the chosen file; nothing is sent until "import".
    function choose(uploadFile) {
      failure.value = null;
      if (uploadFile.raw.size > MAX_FILE_BYTES) {
        notifyError({ message: t('person.importTooLarge') });
        uploadRef.value.clearFiles();
        file.value = null;
        return;
      }
      file.value = uploadFile.raw;
    }

    function replace(files) {
      uploadRef.value.clearFiles();
      uploadRef.value.handleStart(files[0]);
    }

    async function submit() {
      if (!file.value)
        return;
      busy.value = true;
      failure.value = null;
      try {
        const text = await file.value.text();
        const answer = await request('POST', '/persons/import', { text, contentType: 'text/csv' });
        notifySuccess(t('person.imported', { count: answer.imported, created: answer.created, updated: answer.updated }));
        emit('update:modelValue', false);
        emit('imported', answer.imported);
      } catch (err) {
        if (err.rows && err.rows.length)
          failure.value = { message: err.message, rows: err.rows.map((row) => ({ ...row, fieldLabel: fieldLabel(row.field) })) };
        else
          notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return { file, busy, failure, uploadRef, choose, replace, submit, dialogWidth };
  },
  render,
};
