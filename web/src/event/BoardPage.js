// 指挥大屏: the command room's screen. Live counters (new today, open,
// yellow and red lights, supervised), the latest events as they happen
// (the live feed: new ones come in at the top and flash, changed ones
// update in place, no reload), events per township (ECharts), the unit
// ranking (on-time rate, returns 推诿, satisfaction) and the petition
// backlog's zeroing with the open death cases.
import { computed, nextTick, onBeforeUnmount, onMounted, reactive, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { locale, t } from '../i18n.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { colorLabel, countyClock, countyTodayStart, openStates, stateLabel, stateTagType } from './labels.js';
import { debounce, liveState, onEventChange } from './live.js';
import { render } from './BoardPage.render.js';

const LATEST = 12;
const FLASH_MS = 4000;

function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

// Rank: on-time rate, then satisfaction, then fewer returns, then volume.
function rankUnits(items) {
  const v = (x) => (x === null || x === undefined ? -1 : x);
  return [...items].sort((a, b) => v(b.on_time_rate) - v(a.on_time_rate) ||
    v(b.satisfaction_rate) - v(a.satisfaction_rate) || a.returns - b.returns || b.received - a.received);
}

export default {
  name: 'BoardPage',
  setup() {
    const boardEl = ref(null);
    const chartEl = ref(null);
    const counters = reactive({ today: null, open: null, yellow: null, red: null, supervised: null, byState: {} });
    const latest = ref([]);
    const divisions = ref([]);
    const units = ref([]);
    const backlog = ref(null);
    const scopeName = ref('');
    const now = ref(Date.now());
    const fullscreen = ref(false);
    let chart = null;
    let resizeObserver = null;
    let clock = null;
    const flashTimers = new Set();

    const rootCode = computed(() => session.user.division_code || '');

    async function count(query) {
      const answer = await api.get('/events', { ...query, limit: 1, total: 'true' });
      return answer.total;
    }

    async function loadCounters() {
      try {
        const [today, yellow, red, supervised, ...states] = await Promise.all([
          count({ from: countyTodayStart() }), count({ color: 'yellow' }), count({ color: 'red' }),
          count({ supervised: 'true' }), ...openStates.map((state) => count({ state })),
        ]);
        const byState = Object.fromEntries(openStates.map((state, i) => [state, states[i]]));
        Object.assign(counters, {
          today, yellow, red, supervised, byState, open: states.reduce((sum, n) => sum + n, 0),
        });
      } catch {
        // keep the last numbers; the next change tries again
      }
    }

    // Rows slide in when the live feed brings them, not when the list loads.
    const animateRows = ref(false);

    async function loadLatest() {
      animateRows.value = false;
      try {
        latest.value = (await api.get('/events', { limit: LATEST })).items.map((e) => ({ ...e, flash: false }));
      } catch {
        latest.value = [];
      }
      await nextTick();
      animateRows.value = true;
    }

    async function loadStats() {
      try {
        const [byDivision, byUnit, pending] = await Promise.all([
          rootCode.value ? api.get('/stats/events', { by: 'division', division: rootCode.value }) : { items: [] },
          api.get('/stats/events', { by: 'unit' }),
          api.get('/stats/backlog'),
        ]);
        divisions.value = byDivision.items || [];
        units.value = rankUnits(byUnit.items || []).slice(0, 10);
        backlog.value = pending;
        drawChart();
      } catch {
        // the board keeps what it has
      }
    }

    function chartOption() {
      const names = divisions.value.map((d) => d.name);
      const axis = { color: '#9fc3ff' };
      return {
        backgroundColor: 'transparent',
        grid: { left: 40, right: 12, top: 40, bottom: 70 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 4, textStyle: { color: '#cfe3ff' } },
        xAxis: {
          type: 'category', data: names,
          axisLabel: { ...axis, interval: 0, rotate: names.length > 6 ? 40 : 0 },
          axisLine: { lineStyle: { color: '#2b4a7a' } },
        },
        yAxis: { type: 'value', minInterval: 1, axisLabel: axis, splitLine: { lineStyle: { color: 'rgba(80,130,200,0.2)' } } },
        series: [
          { name: t('board.received'), type: 'bar', data: divisions.value.map((d) => d.received), barMaxWidth: 18,
            itemStyle: { color: '#2f8cff', borderRadius: [3, 3, 0, 0] } },
          { name: t('board.closed'), type: 'bar', data: divisions.value.map((d) => d.closed), barMaxWidth: 18,
            itemStyle: { color: '#27d3a2', borderRadius: [3, 3, 0, 0] } },
          { name: t('board.overdue'), type: 'bar', data: divisions.value.map((d) => d.overdue_open), barMaxWidth: 18,
            itemStyle: { color: '#ff5b5b', borderRadius: [3, 3, 0, 0] } },
        ],
      };
    }

    async function drawChart() {
      if (!chartEl.value || divisions.value.length === 0)
        return;
      if (!chart) {
        const echarts = await import('../../vendor/echarts.js');
        if (!chartEl.value || chart)
          return;
        chart = echarts.init(chartEl.value);
        resizeObserver = new ResizeObserver(() => chart && chart.resize());
        resizeObserver.observe(chartEl.value);
      }
      chart.setOption(chartOption(), true);
    }

    function flash(row) {
      row.flash = true;
      const timer = setTimeout(() => { row.flash = false; flashTimers.delete(timer); }, FLASH_MS);
      flashTimers.add(timer);
    }

    // One change from the feed: the event comes to the top (new) or updates in place.
    async function applyChange(change) {
      let summary;
      try {
        summary = await api.get(`/events/${change.event_id}`);
      } catch {
        return;
      }
      const row = reactive({ ...summary, flash: false, change: change.type });
      const index = latest.value.findIndex((e) => e.id === row.id);
      if (index >= 0) {
        latest.value.splice(index, 1, row);
      } else {
        latest.value.unshift(row);
        latest.value.sort((a, b) => b.id - a.id);
        latest.value.splice(LATEST);
      }
      flash(row);
    }

    const refreshNumbers = debounce(() => { loadCounters(); loadStats(); }, 800);
    const stop = onEventChange((change) => {
      applyChange(change);
      refreshNumbers();
    });

    function toggleFullscreen() {
      if (document.fullscreenElement)
        document.exitFullscreen();
      else if (boardEl.value && boardEl.value.requestFullscreen)
        boardEl.value.requestFullscreen().catch(() => {});
    }
    const onFullscreen = () => { fullscreen.value = Boolean(document.fullscreenElement); };

    onMounted(async () => {
      clock = setInterval(() => { now.value = Date.now(); }, 1000);
      document.addEventListener('fullscreenchange', onFullscreen);
      scopeName.value = session.user.division_name || t('layout.wholeCounty');
      await Promise.all([loadCounters(), loadLatest(), loadStats()]);
      await nextTick();
      drawChart();
    });
    onBeforeUnmount(() => {
      stop();
      refreshNumbers.cancel();
      clearInterval(clock);
      flashTimers.forEach(clearTimeout);
      document.removeEventListener('fullscreenchange', onFullscreen);
      if (resizeObserver)
        resizeObserver.disconnect();
      if (chart)
        chart.dispose();
      chart = null;
    });
    watch(locale, () => { loadLatest(); loadStats(); });

    const clockText = computed(() => countyClock(now.value));
    const zeroing = computed(() => {
      const b = backlog.value && backlog.value.backlog;
      if (!b || !b.total)
        return 100;
      return Math.round((b.zeroing_progress || 0) * 100);
    });
    const timeOf = (iso) => (iso ? iso.slice(11, 19) : '');

    return {
      boardEl, chartEl, counters, latest, animateRows, divisions, units, backlog, scopeName, clockText, zeroing, fullscreen,
      liveState, openStates, percent, timeOf, colorLabel, stateLabel, stateTagType, toggleFullscreen,
      open: (id) => navigate('/events/detail', { id }),
      search: (query) => navigate('/events', query),
    };
  },
  render,
};
