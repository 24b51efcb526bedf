// Imports divisions from a CSV file (code,name,level,parent_code,lat,lng).
// The server takes all rows or none; when it refuses, it lists every bad row
// with the field and the reason, and the dialog shows that list as a table.
import { ref, watch } from '../../vendor/vue.js';
import { request } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth } from '../viewport.js';
import { render } from './DivisionImportDialog.render.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export default {
  name: 'DivisionImportDialog',
  props: { modelValue: Boolean },
  emits: ['update:modelValue', 'imported'],
  setup(props, { emit }) {
    const file = ref(null);
    const busy = ref(false);
    const failure = ref(null); // { message, rows: [{line, field, reason}] }
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
        notifyError({ message: t('division.importTooLarge') });
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
        const answer = await request('POST', '/divisions/import', { text, contentType: 'text/csv' });
        notifySuccess(t('division.imported', { count: answer.imported }));
        emit('update:modelValue', false);
        emit('imported', answer.imported);
      } catch (err) {
        if (err.rows && err.rows.length)
          failure.value = { message: err.message, rows: err.rows };
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
