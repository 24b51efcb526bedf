// Home-page overview of the user's area: how many villages (or grids) each
// division directly under the scope root has, as an ECharts bar chart.
// ECharts (1 MB) is imported only when there is something to draw, so a
// grid worker's phone does not fetch it for nothing.
import { onBeforeUnmount, onMounted, ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { locale, t } from '../i18n.js';
import { divisionLevels, levelLabel } from '../format.js';
import { render } from './ScopeChart.render.js';

export default {
  name: 'ScopeChart',
  setup() {
    const chartEl = ref(null);
    const root = ref(null);      // the top division of the user's scope
    const children = ref([]);    // its children, each with child_count
    let chart = null;
    let resizeObserver = null;

    function option() {
      const childLevel = children.value[0] ? children.value[0].level : '';
      // The bars count the level below the children: villages per township, grids per village.
      const counted = divisionLevels[divisionLevels.indexOf(childLevel) + 1] || '';
      const seriesName = t('home.chartSeries', { level: levelLabel(counted) });
      return {
        grid: { left: 40, right: 16, top: 36, bottom: 60 },
        tooltip: { trigger: 'axis' },
        legend: { data: [seriesName], top: 0 },
        xAxis: {
          type: 'category',
          data: children.value.map((d) => d.name),
          axisLabel: { interval: 0, rotate: children.value.length > 8 ? 40 : 0 },
          name: levelLabel(childLevel),
        },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{
          name: seriesName,
          type: 'bar',
          data: children.value.map((d) => d.child_count),
          itemStyle: { color: '#1d5fbf', borderRadius: [3, 3, 0, 0] },
          barMaxWidth: 28,
        }],
      };
    }

    async function load() {
      try {
        const roots = (await api.get('/divisions')).items;
        if (roots.length !== 1 || !roots[0].child_count)
          return;
        root.value = roots[0];
        children.value = (await api.get('/divisions', { parent: roots[0].code })).items;
      } catch {
        // The overview is a convenience: without it the home page still works.
      }
    }

    onMounted(async () => {
      await load();
      if (!chartEl.value || children.value.length === 0)
        return;
      const echarts = await import('../../vendor/echarts.js');
      if (!chartEl.value)
        return; // the user left the page meanwhile
      chart = echarts.init(chartEl.value);
      chart.setOption(option());
      resizeObserver = new ResizeObserver(() => chart && chart.resize());
      resizeObserver.observe(chartEl.value);
    });
    onBeforeUnmount(() => {
      if (resizeObserver)
        resizeObserver.disconnect();
      if (chart)
        chart.dispose();
      chart = null;
    });
    watch(locale, () => { if (chart) chart.setOption(option(), true); });

    return { chartEl, root, children };
  },
  render,
};
