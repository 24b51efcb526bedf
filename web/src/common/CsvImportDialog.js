// Imports a CSV file into one of the server's import routes (POST text/csv).
// The server takes all rows or none; when it refuses (422) it lists every bad
// row as {line, field, reason}, and the dialog shows that list as a table.
// What differs between imports comes from the page: the route, the texts
// (already translated, so that the catalogue test sees their keys), how a
// field is named, and the message built from the server's answer.
import { ref, watch } from '../../vendor/vue.js';
import { request } from '../api.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth } from '../viewport.js';
import { render } from './CsvImportDialog.render.js';

export default {
  name: 'CsvImportDialog',
  props: {
    modelValue: Boolean,
    endpoint: { type: String, required: true },          // e.g. '/divisions/import'
    title: { type: String, required: true },
    hint: { type: String, required: true },              // the columns, above the sample
    sample: { type: String, default: '' },               // a few sample lines, shown as is
    maxBytes: { type: Number, required: true },          // the server's limit for the route
    tooLargeText: { type: String, required: true },
    successText: { type: Function, required: true },     // (answer) => message
    fieldLabel: { type: Function, default: (field) => field || '' }, // a row error's field, in the user's words
    width: { type: String, default: '680px' },
    reasonWidth: { type: String, default: '200' },       // min-width of the reason column
  },
  emits: ['update:modelValue', 'imported'],
  setup(props, { emit }) {
    const file = ref(null);
    const busy = ref(false);
    const failure = ref(null); // { message, rows: [{line, field, fieldLabel, reason}] }
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
      if (uploadFile.raw.size > props.maxBytes) {
        notifyError({ message: props.tooLargeText });
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
        const answer = await request('POST', props.endpoint, { text, contentType: 'text/csv' });
        notifySuccess(props.successText(answer));
        emit('update:modelValue', false);
        emit('imported', answer.imported);
      } catch (err) {
        if (err.rows && err.rows.length)
          failure.value = { message: err.message, rows: err.rows.map((row) => ({ ...row, fieldLabel: props.fieldLabel(row.field) })) };
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
