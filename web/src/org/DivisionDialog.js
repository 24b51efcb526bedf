// Creates a child division or edits one (name, centre point, outline).
// The server derives the level from the code and the parent.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import { render } from './DivisionDialog.render.js';

function emptyForm() {
  return { code: '', name: '', lat: null, lng: null, outline: '' };
}

// Blank means "no value"; anything else must be a number.
function optionalNumber(value) {
  return value === null || value === undefined || value === '' ? null : Number(value);
}

export default {
  name: 'DivisionDialog',
  props: {
    modelValue: Boolean,
    mode: { type: String, default: 'create' }, // 'create' under parent, or 'edit' division
    parent: { type: Object, default: null },
    division: { type: Object, default: null },
  },
  emits: ['update:modelValue', 'saved'],
  setup(props, { emit }) {
    const form = reactive(emptyForm());
    const formRef = ref(null);
    const busy = ref(false);
    let originalOutline = '';
    const isEdit = computed(() => props.mode === 'edit');

    const outlineValidator = (rule, value, done) => {
      if (!value || !value.trim())
        return done();
      try {
        const geometry = JSON.parse(value);
        done(geometry && typeof geometry.type === 'string' ? undefined : new Error(t('division.outlineInvalid')));
      } catch {
        done(new Error(t('division.outlineInvalid')));
      }
    };
    const rules = computed(() => ({
      code: [{ required: !isEdit.value, message: t('division.codeRequired'), trigger: 'blur' }],
      name: [{ required: true, message: t('division.nameRequired'), trigger: 'blur' }],
      outline: [{ validator: outlineValidator, trigger: 'blur' }],
    }));

    watch(() => props.modelValue, (open) => {
      if (!open)
        return;
      Object.assign(form, emptyForm());
      if (isEdit.value && props.division) {
        const d = props.division;
        originalOutline = d.outline ? JSON.stringify(d.outline) : '';
        Object.assign(form, {
          code: d.code, name: d.name, lat: d.lat ?? null, lng: d.lng ?? null, outline: originalOutline,
        });
      }
      if (formRef.value)
        formRef.value.clearValidate();
    });

    function body() {
      const out = { name: form.name.trim(), lat: optionalNumber(form.lat), lng: optionalNumber(form.lng) };
      const outlineText = form.outline.trim();
      // Only a changed outline is sent, so an edit of the name never
      // rewrites (or drops) a large geometry.
      if (!isEdit.value || outlineText !== originalOutline.trim())
        out.outline = outlineText ? JSON.parse(outlineText) : null;
      if (isEdit.value)
        return { ...out, version: props.division.version };
      if (out.outline === null)
        delete out.outline;
      return { ...out, code: form.code.trim(), parent_code: props.parent.code };
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      try {
        const saved = isEdit.value
          ? await api.patch(`/divisions/${encodeURIComponent(props.division.code)}`, body())
          : await api.post('/divisions', body());
        notifySuccess(t('common.saved'));
        emit('update:modelValue', false);
        emit('saved', saved);
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return { form, formRef, busy, rules, isEdit, submit, dialogWidth, labelPosition };
  },
  render,
};
