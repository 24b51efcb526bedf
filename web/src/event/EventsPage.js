// 事件查询: every event in the user's scope, filtered by state, category,
// channel, place, urgency, colour, time and keyword (Chinese full text),
// newest first with keyset paging and the total. Filters can come in the
// address (#/events?state=handling), as the board's links do.
import { reactive, ref } from '../../vendor/vue.js';
import { api } from '../api.js';
import { useCursorList } from '../cursor-list.js';
import { route } from '../router.js';
import CursorPager from '../common/CursorPager.js';
import DivisionSelect from '../common/DivisionSelect.js';
import CategoryCascader from './CategoryCascader.js';
import EventTable from './EventTable.js';
import {
  channelLabel, channels, colorLabel, colors, eventStates, stateLabel, TIME_FORMAT, urgencies, urgencyLabel,
} from './labels.js';
import { render } from './EventsPage.render.js';

const FILTERS = ['state', 'category', 'channel', 'division', 'urgency', 'color', 'q'];

function emptyFilters() {
  return { state: '', category: '', channel: '', division: '', urgency: '', color: '', q: '', range: null, supervised: false };
}

export default {
  name: 'EventsPage',
  components: { CursorPager, DivisionSelect, CategoryCascader, EventTable },
  setup() {
    const filters = reactive(emptyFilters());
    for (const name of FILTERS) {
      if (route.query[name])
        filters[name] = route.query[name];
    }
    if (route.query.supervised === 'true')
      filters.supervised = true;
    const total = ref(null);
    const list = useCursorList(async (page) => {
      const answer = await api.get('/events', {
        state: filters.state, category: filters.category, channel: filters.channel, division: filters.division,
        urgency: filters.urgency, color: filters.color, q: filters.q.trim(),
        supervised: filters.supervised ? 'true' : '',
        from: filters.range ? filters.range[0] : '', to: filters.range ? filters.range[1] : '',
        total: 'true', ...page,
      });
      total.value = answer.total ?? null;
      return answer;
    });

    function resetFilters() {
      Object.assign(filters, emptyFilters());
      list.reset();
    }

    list.reset();
    return {
      filters, list, total, resetFilters, TIME_FORMAT,
      eventStates, stateLabel, channels, channelLabel, urgencies, urgencyLabel, colors, colorLabel,
    };
  },
  render,
};
