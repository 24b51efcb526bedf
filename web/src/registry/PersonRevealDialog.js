// Shows a resident's personal data in clear (pii.reveal): asks for the
// reason first, which the server writes to the audit trail with the look.
// The clear values live in this dialog only and are dropped when it closes.
import { reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError } from '../feedback.js';
import { dialogWidth, labelPosition } from '../viewport.js';
import { render } from './PersonRevealDialog.render.js';

export default {
  name: 'PersonRevealDialog',
  props: { modelValue: Boolean, person: { type: Object, default: null } },
  emits: ['update:modelValue'],
  setup(props) {
    const form = reactive({ reason: '' });
    const reasonError = ref('');
    const busy = ref(false);
    const revealed = ref(null); // {id_number, name, phone, address}

    // Opening starts afresh; closing drops the clear values.
    watch(() => props.modelValue, () => {
      form.reason = '';
      reasonError.value = '';
      revealed.value = null;
    });
    watch(() => form.reason, () => { reasonError.value = ''; });

    async function submit() {
      reasonError.value = '';
      if (form.reason.trim().length < 4) {
        reasonError.value = t('detail.revealReasonShort');
        return;
      }
      busy.value = true;
      try {
        revealed.value = await api.post(`/persons/${props.person.id}/reveal`, { reason: form.reason.trim() });
      } catch (err) {
        if (err.status === 422 && err.field === 'reason')
          reasonError.value = err.message;
        else
          notifyError(err);
      } finally {
        busy.value = false;
      }
    }

    return { form, reasonError, busy, revealed, submit, dialogWidth, labelPosition };
  },
  render,
};
