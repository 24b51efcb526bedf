// 事件详情: one event with everything about it: the header with its case
// number, state, colour and deadlines; the facts (personal data masked,
// revealed with a reason for those allowed, and audited); parties,
// attachments (photos shown), dispatches, extensions, return visits and
// the whole timeline; and the actions the server says this user may take
// now (allowed_actions), each a button opening its dialog.
import { computed, onBeforeUnmount, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { formatTime } from '../format.js';
import { navigate, route } from '../router.js';
import { can } from '../session.js';
import { dialogWidth, viewport } from '../viewport.js';
import ActionDialog from './ActionDialog.js';
import {
  actionButtonType, actionLabel, channelLabel, colorLabel, colorTagType, eventActions, kindLabel, levelLabel,
  partyRoleLabel, petitionLevelLabel, purposeLabel, satisfactionLabel, stateLabel, stateTagType, timelineLabel,
  urgencyLabel, urgencyTagType, useCategories,
} from './labels.js';
import { debounce, onEventChange } from './live.js';
import { render } from './EventDetailPage.render.js';

const MAX_UPLOAD = 10 * 1024 * 1024;

export default {
  name: 'EventDetailPage',
  components: { ActionDialog },
  setup() {
    const { categoryName } = useCategories();
    const event = ref(null);
    const loading = ref(false);
    const missing = ref(false);
    const revealed = ref(null);       // clear personal data after a reveal
    const reveal = reactive({ open: false, reason: '', busy: false });
    const acting = ref({ open: false, action: '' });
    const uploadInput = ref(null);
    const uploading = ref(false);
    const changedElsewhere = ref(false);

    const id = computed(() => Number(route.query.id) || 0);

    async function load() {
      if (!id.value) {
        missing.value = true;
        return;
      }
      loading.value = true;
      try {
        event.value = await api.get(`/events/${id.value}`);
        missing.value = false;
        changedElsewhere.value = false;
      } catch (err) {
        if (err.status === 404)
          missing.value = true;
        else
          notifyError(err);
      } finally {
        loading.value = false;
      }
    }

    // Buttons in a fixed order, for the actions the server allows now. A
    // decision on an extension needs a pending request, which
    // allowed_actions does not look at: without one the button would only
    // earn a 409.
    const actions = computed(() => {
      const e = event.value;
      const allowed = (e && e.allowed_actions) || [];
      const pending = e && (e.extensions || []).some((x) => !x.decision);
      return eventActions.filter((a) => allowed.includes(a) && (a !== 'extend_decide' || pending));
    });

    const canReveal = computed(() => can('pii.reveal'));
    const canAttach = computed(() => ['event.report', 'event.handle', 'event.verify', 'event.triage'].some(can));
    const shown = computed(() => {
      const e = event.value || {};
      const r = revealed.value;
      return {
        reporter_name: r ? r.reporter_name : e.reporter_name,
        reporter_phone: r ? r.reporter_phone : e.reporter_phone,
        address: r ? r.address : e.address,
        parties: r ? r.parties : (e.parties || []),
      };
    });
    const hasPersonalData = computed(() => {
      const e = event.value;
      return Boolean(e && (e.reporter_name || e.reporter_phone || e.address || (e.parties && e.parties.length)));
    });
    const images = computed(() => ((event.value && event.value.attachments) || [])
      .filter((a) => a.mime.startsWith('image/')));
    const imageUrls = computed(() => images.value.map((a) => attachmentUrl(a)));
    const files = computed(() => ((event.value && event.value.attachments) || [])
      .filter((a) => !a.mime.startsWith('image/')));
    const timeline = computed(() => [...((event.value && event.value.timeline) || [])].reverse());

    function attachmentUrl(a) {
      return `/api/v1/attachments/${a.id}`;
    }

    function timelineType(entry) {
      if (['reject', 'return', 'overdue'].includes(entry.action))
        return 'danger';
      if (['warn', 'escalate', 'auto_escalate', 'supervise', 'extend_request'].includes(entry.action))
        return 'warning';
      if (['verify', 'visit', 'resolve_on_the_spot'].includes(entry.action) || entry.to === 'closed')
        return 'success';
      return 'primary';
    }

    function openAction(action) {
      acting.value = { open: true, action };
    }

    function onDone(updated) {
      event.value = updated;
      revealed.value = null;
      if (updated.version >= newerVersion)
        changedElsewhere.value = false;
    }

    // The server writes a visit's note as "satisfied：comment"; show the label.
    function timelineNote(entry) {
      const match = entry.action === 'visit' && entry.note.match(/^(satisfied|basically|unsatisfied)(.*)$/s);
      return match ? satisfactionLabel(match[1]) + match[2] : entry.note;
    }

    async function submitReveal() {
      if (reveal.reason.trim().length < 4) {
        notifyError({ message: t('detail.revealReasonShort') });
        return;
      }
      reveal.busy = true;
      try {
        revealed.value = await api.post(`/events/${id.value}/reveal`, { reason: reveal.reason.trim() });
        reveal.open = false;
        reveal.reason = '';
      } catch (err) {
        notifyError(err);
      } finally {
        reveal.busy = false;
      }
    }

    function chooseUpload() {
      uploadInput.value.click();
    }

    async function onUpload(e) {
      const file = e.target.files && e.target.files[0];
      e.target.value = '';
      if (!file)
        return;
      if (file.size > MAX_UPLOAD) {
        notifyError({ message: t('report.photoTooLarge') });
        return;
      }
      uploading.value = true;
      try {
        await api.upload(`/events/${id.value}/attachments`, file, { name: file.name, purpose: 'evidence' });
        notifySuccess(t('detail.uploaded'));
        await load();
      } catch (err) {
        notifyError(err);
      } finally {
        uploading.value = false;
      }
    }

    // A change from the live feed: a newer version than the one shown is
    // loaded at once, unless a dialog is open (then the user is told, and
    // the answer to their own action may well bring that version anyway).
    let newerVersion = 0;
    const liveReload = debounce(async () => {
      let fresh;
      try {
        fresh = await api.get(`/events/${id.value}`);
      } catch {
        return;
      }
      if (!event.value || fresh.id !== event.value.id || fresh.version <= event.value.version)
        return;
      if (acting.value.open || reveal.open) {
        newerVersion = fresh.version;
        changedElsewhere.value = true;
      } else {
        event.value = fresh;
        revealed.value = null;
      }
    }, 400);
    const stop = onEventChange((change) => {
      if (change.event_id === id.value)
        liveReload();
    });
    onBeforeUnmount(() => { stop(); liveReload.cancel(); });

    watch(id, () => { revealed.value = null; load(); });
    load();

    return {
      event, loading, missing, revealed, reveal, acting, actions, canReveal, canAttach, shown, hasPersonalData,
      images, imageUrls, files, timeline, uploadInput, uploading, changedElsewhere, viewport,
      load, openAction, onDone, timelineNote, categoryName, submitReveal, chooseUpload, onUpload, attachmentUrl,
      timelineType, dialogWidth,
      back: () => (window.history.length > 1 ? window.history.back() : navigate('/events')),
      formatTime, actionLabel, actionButtonType, channelLabel, colorLabel, colorTagType, kindLabel, levelLabel,
      partyRoleLabel, petitionLevelLabel, purposeLabel, satisfactionLabel, stateLabel, stateTagType, timelineLabel,
      urgencyLabel, urgencyTagType,
    };
  },
  render,
};
