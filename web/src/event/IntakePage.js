// 事件受理: the one-stop intake of the walk-in hall (一站式受理) at the county
// centre or a township room. Before the event is created the server is
// asked for similar events (POST /events/duplicates), so a dispute already
// on file is not registered twice; the user may still go on. The POST
// carries an Idempotency-Key made once per form, so a retry after a lost
// answer does not create a second event.
import { computed, reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess } from '../feedback.js';
import { navigate } from '../router.js';
import { labelPosition, dialogWidth, viewport } from '../viewport.js';
import DivisionSelect from '../common/DivisionSelect.js';
import CategoryCascader from './CategoryCascader.js';
import {
  channelLabel, channels, newIdempotencyKey, partyRoleLabel, partyRoles, petitionLevelLabel, petitionLevels,
  stateLabel, stateTagType, TIME_FORMAT, urgencies, urgencyLabel, useCategories,
} from './labels.js';
import { render } from './IntakePage.render.js';

const MAX_PARTIES = 10;

function emptyForm() {
  return {
    channel: 'walk_in', category_code: '', title: '', description: '', division_code: '', address: '',
    occurred_at: null, anonymous: false, reporter_name: '', reporter_phone: '', urgency: 'normal', tags: '',
    parties: [], petition_level: 'county', leader_in_charge: '', repeat_count: 0,
  };
}

const MOBILE = /^1[3-9]\d{9}$/;

export default {
  name: 'IntakePage',
  components: { DivisionSelect, CategoryCascader },
  setup() {
    const form = reactive(emptyForm());
    const formRef = ref(null);
    const busy = ref(false);
    const duplicates = ref({ open: false, items: [] });
    let idempotencyKey = newIdempotencyKey();
    const { byCode } = useCategories();

    const kind = computed(() => (byCode.value[form.category_code] || {}).kind || '');
    const isPetition = computed(() => kind.value === 'petition');

    const phoneRule = (message) => ({
      validator: (rule, value, callback) => (!value || MOBILE.test(value) ? callback() : callback(new Error(message))),
      trigger: 'blur',
    });
    const rules = computed(() => ({
      channel: [{ required: true, message: t('intake.channelRequired'), trigger: 'change' }],
      category_code: [{ required: true, message: t('intake.categoryRequired'), trigger: 'change' }],
      title: [{ required: true, message: t('intake.titleRequired'), trigger: 'blur' }],
      division_code: [{ required: true, message: t('intake.divisionRequired'), trigger: 'change' }],
      reporter_name: [{
        validator: (rule, value, callback) => (form.anonymous || (value && value.trim())
          ? callback() : callback(new Error(t('intake.reporterRequired')))),
        trigger: 'blur',
      }],
      reporter_phone: [phoneRule(t('intake.phoneInvalid'))],
    }));

    function addParty() {
      if (form.parties.length < MAX_PARTIES)
        form.parties.push({ role: 'party', name: '', id_number: '', phone: '' });
    }
    function removeParty(index) {
      form.parties.splice(index, 1);
    }

    // The request body: empty optional fields left out.
    function body() {
      const b = {
        channel: form.channel, category_code: form.category_code, title: form.title.trim(),
        division_code: form.division_code, urgency: form.urgency, anonymous: form.anonymous,
      };
      const optional = { description: form.description.trim(), address: form.address.trim(), tags: form.tags.trim() };
      for (const [key, value] of Object.entries(optional)) {
        if (value)
          b[key] = value;
      }
      if (form.occurred_at)
        b.occurred_at = form.occurred_at;
      if (!form.anonymous) {
        b.reporter_name = form.reporter_name.trim();
        if (form.reporter_phone.trim())
          b.reporter_phone = form.reporter_phone.trim();
      }
      const parties = form.parties.filter((p) => p.name.trim()).map((p) => {
        const party = { name: p.name.trim(), role: p.role };
        if (p.id_number.trim())
          party.id_number = p.id_number.trim().toUpperCase();
        if (p.phone.trim())
          party.phone = p.phone.trim();
        return party;
      });
      if (parties.length)
        b.parties = parties;
      if (isPetition.value) {
        b.petition_level = form.petition_level;
        if (form.leader_in_charge.trim())
          b.leader_in_charge = form.leader_in_charge.trim();
        b.repeat_count = form.repeat_count || 0;
      }
      return b;
    }

    async function create() {
      busy.value = true;
      try {
        const event = await api.post('/events', body(), { headers: { 'Idempotency-Key': idempotencyKey } });
        idempotencyKey = newIdempotencyKey();
        notifySuccess(t('intake.created', { caseNo: event.case_no }));
        navigate('/events/detail', { id: event.id });
      } catch (err) {
        notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      let similar = [];
      try {
        similar = (await api.post('/events/duplicates', body())).items || [];
      } catch (err) {
        busy.value = false;
        notifyError(err);
        return;
      }
      busy.value = false;
      if (similar.length) {
        duplicates.value = { open: true, items: similar };
        return;
      }
      await create();
    }

    function continueAnyway() {
      duplicates.value.open = false;
      create();
    }

    function openExisting(id) {
      duplicates.value.open = false;
      navigate('/events/detail', { id });
    }

    function reset() {
      Object.assign(form, emptyForm());
      idempotencyKey = newIdempotencyKey();
      if (formRef.value)
        formRef.value.clearValidate();
    }

    return {
      form, formRef, rules, busy, duplicates, isPetition, viewport, TIME_FORMAT, MAX_PARTIES,
      channels, channelLabel, urgencies, urgencyLabel, partyRoles, partyRoleLabel, petitionLevels, petitionLevelLabel,
      stateLabel, stateTagType, labelPosition, dialogWidth,
      addParty, removeParty, submit, continueAnyway, openExisting, reset,
    };
  },
  render,
};
