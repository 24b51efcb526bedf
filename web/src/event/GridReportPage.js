// 网格上报: the grid worker's report from the field, made for a phone: a
// category, a title, what happened, which of the worker's grids, a photo
// from the camera, the GPS point, and the on-the-spot resolution (就地化解)
// when the worker settled it there and then.
//
// Every report goes through the outbox (outbox.js): it is written down on
// the phone first and then sent, so a village without signal loses nothing
// and a report is never sent twice.
import { computed, onBeforeUnmount, onMounted, reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { notifyError, notifySuccess, confirmAction } from '../feedback.js';
import { navigate } from '../router.js';
import { can, session } from '../session.js';
import DivisionSelect from '../common/DivisionSelect.js';
import { newIdempotencyKey, useCategories } from './labels.js';
import { discard, enqueue, flushOutbox, outbox, refreshOutbox, retryRefused } from './outbox.js';
import { render } from './GridReportPage.render.js';

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const RETRY_MS = 15000;

const SHRINK_ABOVE = 1.5 * 1024 * 1024;
const LONG_SIDE = 1920;

// A camera photo of several megabytes would crawl over a village's signal:
// large photos (and other image types the server does not take) become a
// JPEG of at most 1920 pixels. Whatever cannot be decoded is left as it is.
async function shrinkPhoto(file) {
  const accepted = /^image\/(jpeg|png)$/.test(file.type);
  if ((accepted && file.size <= SHRINK_ABOVE) || !window.createImageBitmap)
    return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob || (accepted && blob.size >= file.size))
      return file;
    return new File([blob], `${file.name.replace(/\.[^.]*$/, '') || 'photo'}.jpg`, { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

function emptyForm() {
  return { category_code: '', title: '', description: '', division_code: '', on_the_spot: false, result: '' };
}

export default {
  name: 'GridReportPage',
  components: { DivisionSelect },
  setup() {
    const form = reactive(emptyForm());
    const formRef = ref(null);
    const fileInput = ref(null);
    const photo = ref(null);          // File
    const photoUrl = ref('');
    const point = ref(null);          // {lat, lng, accuracy}
    const locating = ref(false);
    const busy = ref(false);
    const grids = ref([]);            // the worker's grids [{code, name}]
    const gridsKnown = ref(false);    // false: the list could not be read, pick by search
    const lastResult = ref(null);     // {queued, case_no, id}
    const gridLabel = ref('');        // name of the grid chosen by search
    const lastGridKey = `pingan.lastGrid.${session.user.id}`;
    const { groups } = useCategories();
    const isGridWorker = computed(() => session.user.roles.includes('grid_worker'));
    const canRead = computed(() => can('event.read'));
    // Uploading an attachment needs event.read (the route's permission):
    // a volunteer, who only reports, sends no photo.
    const canPhoto = canRead;

    const rules = computed(() => ({
      category_code: [{ required: true, message: t('intake.categoryRequired'), trigger: 'change' }],
      title: [{ required: true, message: t('intake.titleRequired'), trigger: 'blur' }],
      division_code: [{ required: true, message: t('report.gridRequired'), trigger: 'change' }],
      result: [{
        validator: (rule, value, callback) => (!form.on_the_spot || (value && value.trim())
          ? callback() : callback(new Error(t('report.resultRequired')))),
        trigger: 'blur',
      }],
    }));

    async function loadGrids() {
      try {
        const answer = await api.get(`/users/${session.user.id}/grids`);
        grids.value = answer.grids || [];
        gridsKnown.value = true;
        if (grids.value.length === 1)
          form.division_code = grids.value[0].code;
      } catch {
        // Without user.read the list is not readable: search the grids
        // instead, starting from the grid used last time on this phone.
        gridsKnown.value = false;
        try {
          const last = JSON.parse(localStorage.getItem(lastGridKey) || 'null');
          if (last && last.code && !form.division_code) {
            gridLabel.value = last.name;
            form.division_code = last.code;
          }
        } catch {
          // nothing remembered
        }
      }
    }

    function onGridPicked(picked) {
      if (picked[0]) {
        gridLabel.value = picked[0].name;
        localStorage.setItem(lastGridKey, JSON.stringify({ code: picked[0].code, name: picked[0].name }));
      }
    }

    function choosePhoto() {
      fileInput.value.click();
    }

    async function onPhoto(event) {
      const picked = event.target.files && event.target.files[0];
      event.target.value = '';
      if (!picked)
        return;
      const file = await shrinkPhoto(picked);
      if (!/^image\/(jpeg|png)$/.test(file.type)) {
        notifyError({ message: t('report.photoType') });
        return;
      }
      if (file.size > MAX_PHOTO_BYTES) {
        notifyError({ message: t('report.photoTooLarge') });
        return;
      }
      removePhoto();
      photo.value = file;
      photoUrl.value = URL.createObjectURL(file);
    }

    function removePhoto() {
      if (photoUrl.value)
        URL.revokeObjectURL(photoUrl.value);
      photo.value = null;
      photoUrl.value = '';
    }

    function locate() {
      if (!navigator.geolocation) {
        notifyError({ message: t('report.noGps') });
        return;
      }
      locating.value = true;
      navigator.geolocation.getCurrentPosition((position) => {
        locating.value = false;
        point.value = {
          lat: Math.round(position.coords.latitude * 1e6) / 1e6,
          lng: Math.round(position.coords.longitude * 1e6) / 1e6,
          accuracy: Math.round(position.coords.accuracy || 0),
        };
      }, () => {
        locating.value = false;
        notifyError({ message: t('report.gpsFailed') });
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }

    function body() {
      const b = {
        channel: 'grid', category_code: form.category_code, title: form.title.trim(),
        division_code: form.division_code, reporter_name: session.user.display_name || session.user.username,
      };
      if (form.description.trim())
        b.description = form.description.trim();
      if (point.value) {
        b.lat = point.value.lat;
        b.lng = point.value.lng;
      }
      if (form.on_the_spot && isGridWorker.value) {
        b.on_the_spot = true;
        b.result = form.result.trim();
      }
      return b;
    }

    async function submit() {
      if (!(await formRef.value.validate().catch(() => false)))
        return;
      busy.value = true;
      const key = newIdempotencyKey();
      try {
        await enqueue({ key, body: body(), photo: photo.value, photoName: photo.value ? photo.value.name : '' });
      } catch (err) {
        busy.value = false;
        notifyError({ message: t('report.storageFailed') });
        return;
      }
      await flushOutbox();
      busy.value = false;
      const sent = outbox.sent.find((s) => s.key === key);
      const waiting = outbox.items.find((e) => e.key === key);
      if (sent) {
        lastResult.value = { queued: false, case_no: sent.case_no, id: sent.id };
        notifySuccess(t('report.sent', { caseNo: sent.case_no }));
      } else if (waiting && waiting.error) {
        lastResult.value = null;
        notifyError({ message: waiting.error });
        return; // the form stays filled: fix and send again
      } else {
        lastResult.value = { queued: true };
      }
      // Back to the top, where the outcome shows.
      const main = document.querySelector('.layout-main');
      if (main)
        main.scrollTo({ top: 0, behavior: 'smooth' });
      Object.assign(form, emptyForm(), { division_code: form.division_code });
      removePhoto();
      point.value = null;
      if (formRef.value)
        formRef.value.clearValidate();
    }

    async function remove(entry) {
      if (await confirmAction(t('report.discardConfirm', { title: entry.body.title }), { danger: true }))
        await discard(entry.key);
    }

    const openEvent = (id) => navigate('/events/detail', { id });

    let timer = null;
    onMounted(async () => {
      loadGrids();
      await refreshOutbox();
      if (outbox.items.length)
        flushOutbox();
      // Some phones never say "online": try again now and then while reports wait.
      timer = setInterval(() => {
        if (outbox.items.some((e) => !e.error) && !outbox.flushing && navigator.onLine)
          flushOutbox();
      }, RETRY_MS);
    });
    onBeforeUnmount(() => {
      clearInterval(timer);
      removePhoto();
    });

    const waiting = computed(() => outbox.items);
    return {
      form, formRef, rules, fileInput, photo, photoUrl, point, locating, busy, grids, gridsKnown, lastResult,
      gridLabel, onGridPicked,
      groups, isGridWorker, canRead, canPhoto, outbox, waiting,
      choosePhoto, onPhoto, removePhoto, locate, submit, remove, openEvent,
      retry: () => flushOutbox(), retryRefused,
    };
  },
  render,
};
