// One dialog for every action of the closed loop, showing the fields that
// action takes: a reason, a result, the units of a dispatch, the verdict of
// a verification, the satisfaction of a return visit, the days of an
// extension ... The request carries the version the user saw (If-Match):
// 412 means someone acted meanwhile (reload), 409 that the state does not
// allow it now, and the server's own message is shown.
import { computed, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { formatTime } from '../format.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import UnitSelect from '../common/UnitSelect.js';
import { actionLabel, satisfactionLabel, satisfactions, stateLabel, TIME_FORMAT } from './labels.js';
import { render } from './ActionDialog.render.js';

// Which actions need a note, and what the note is called.
const noteRequired = { reject: true, return: true, supervise: true, extend_request: true, feedback: true };
const noteLabels = {
  reject: 'action.reason', return: 'action.reason', supervise: 'action.superviseNote', extend_request: 'action.reason',
  feedback: 'action.result', visit: 'action.comment', verify: 'action.verifyNote', sample: 'action.sampleNote',
  extend_decide: 'action.note', accept: 'action.note', escalate: 'action.escalateNote', sign: 'action.note',
};

function emptyForm() {
  return {
    note: '', lead_unit_id: null, co_unit_ids: [], deadline: null, deadline_reason: '', ok: true,
    satisfaction: 'satisfied', reopen: false, days: 5, due: null, into: null,
  };
}

export default {
  name: 'ActionDialog',
  components: { UnitSelect },
  props: {
    modelValue: Boolean,
    action: { type: String, default: '' },
    event: { type: Object, default: null },
  },
  emits: ['update:modelValue', 'done', 'stale'],
  setup(props, { emit }) {
    const form = reactive(emptyForm());
    const formRef = ref(null);
    const busy = ref(false);
    const serverError = ref('');
    const feedbackFile = ref(null);
    const leadOptions = ref([]);
    const mergeOptions = ref([]);
    const mergeLoading = ref(false);

    watch(() => props.modelValue, (open) => {
      if (!open || !props.event)
        return;
      Object.assign(form, emptyForm());
      serverError.value = '';
      feedbackFile.value = null;
      const suggested = props.event.suggested_unit;
      leadOptions.value = suggested ? [{ id: suggested.id, name: suggested.name }] : [];
      if (props.action === 'dispatch' && suggested)
        form.lead_unit_id = suggested.id;
      mergeOptions.value = [];
      if (formRef.value)
        formRef.value.clearValidate();
    });

    const title = computed(() => actionLabel(props.action));
    const noteLabel = computed(() => t(noteLabels[props.action] || 'action.note'));
    const needsNote = computed(() => noteRequired[props.action] ||
      (['verify', 'sample', 'extend_decide'].includes(props.action) && !form.ok));
    const showNote = computed(() => !['dispatch', 'merge'].includes(props.action));
    const canReopen = computed(() => props.action === 'visit' && form.satisfaction === 'unsatisfied' &&
      props.event && !props.event.reopen_count);
    const pendingExtension = computed(() => (props.event && props.event.extensions || []).find((x) => !x.decision));

    const rules = computed(() => ({
      note: [{
        validator: (rule, value, callback) => (!needsNote.value || (value && value.trim())
          ? callback() : callback(new Error(t('action.noteRequired', { name: noteLabel.value })))),
        trigger: 'blur',
      }],
      lead_unit_id: [{ required: props.action === 'dispatch', message: t('action.leadRequired'), trigger: 'change' }],
      deadline_reason: [{
        validator: (rule, value, callback) => (!form.deadline || (value && value.trim())
          ? callback() : callback(new Error(t('action.deadlineReasonRequired')))),
        trigger: 'blur',
      }],
      into: [{ required: props.action === 'merge', message: t('action.mergeRequired'), trigger: 'change' }],
    }));

    // Events to merge into: open ones matching the text, never this one.
    async function searchMerge(text) {
      const query = text.trim();
      if (!query)
        return;
      mergeLoading.value = true;
      try {
        const answer = await api.get('/events', { q: query, limit: 20 });
        mergeOptions.value = answer.items.filter((e) => e.id !== props.event.id &&
          !['closed', 'rejected', 'merged'].includes(e.state));
      } catch {
        mergeOptions.value = [];
      } finally {
        mergeLoading.value = false;
      }
    }

    function onFeedbackFile(event) {
      feedbackFile.value = (event.target.files && event.target.files[0]) || null;
    }

    function body() {
      const a = props.action;
      const b = {};
      const note = form.note.trim();
      if (note && showNote.value)
        b.note = note;
      if (a === 'dispatch') {
        b.lead_unit_id = form.lead_unit_id;
        const co = form.co_unit_ids.filter((id) => id !== form.lead_unit_id);
        if (co.length)
          b.co_unit_ids = co;
        if (form.deadline) {
          b.deadline = form.deadline;
          b.deadline_reason = form.deadline_reason.trim();
        }
      }
      if (['verify', 'sample', 'extend_decide'].includes(a))
        b.ok = form.ok;
      if (a === 'visit') {
        b.satisfaction = form.satisfaction;
        b.reopen = canReopen.value && form.reopen;
      }
      if (a === 'extend_request')
        b.days = form.days;
      if (a === 'supervise' && form.due)
        b.due = form.due;
      if (a === 'merge')
        b.into = form.into;
      return b;
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      serverError.value = '';
      const id = props.event.id;
      try {
        // Evidence of the result goes up first, so the feedback can point to it.
        if (props.action === 'feedback' && feedbackFile.value)
          await api.upload(`/events/${id}/attachments`, feedbackFile.value, { name: feedbackFile.value.name, purpose: 'feedback' });
        const event = await api.post(`/events/${id}/${props.action}`, body(), { ifMatch: props.event.version });
        notifySuccess(t('action.done', { action: title.value }));
        emit('update:modelValue', false);
        emit('done', event);
      } catch (err) {
        if (err.status === 412) {
          notifyError(err);
          emit('update:modelValue', false);
          emit('stale');
        } else {
          serverError.value = err.message;
          notifyError(err);
        }
      } finally {
        busy.value = false;
      }
    }

    return {
      form, formRef, rules, busy, serverError, title, noteLabel, needsNote, showNote, canReopen, pendingExtension,
      leadOptions, mergeOptions, mergeLoading, feedbackFile, satisfactions, satisfactionLabel, stateLabel, formatTime,
      TIME_FORMAT, dialogWidth, labelPosition, searchMerge, onFeedbackFile, submit,
    };
  },
  render,
};
