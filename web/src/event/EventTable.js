// The table of events shared by the inboxes and the search page: colour,
// case number, title, category, place, state, lead unit, deadline. A click
// on a row opens the event.
import { navigate } from '../router.js';
import { formatTime } from '../format.js';
import { viewport } from '../viewport.js';
import {
  colorLabel, colorTagType, stateLabel, stateTagType, urgencyLabel, urgencyTagType, useCategories,
} from './labels.js';
import { render } from './EventTable.render.js';

export default {
  name: 'EventTable',
  props: {
    items: { type: Array, default: () => [] },
    loading: Boolean,
  },
  setup() {
    const { categoryName } = useCategories();
    function open(row) {
      navigate('/events/detail', { id: row.id });
    }
    // Overdue deadlines of open events are shown in red.
    function deadlineClass(row) {
      if (!row.deadline_at || ['closed', 'rejected', 'merged'].includes(row.state))
        return '';
      return row.color === 'red' ? 'deadline-red' : row.color === 'yellow' ? 'deadline-yellow' : '';
    }
    // Minutes are enough in a table row.
    const shortTime = (iso) => formatTime(iso).slice(0, 16);
    return {
      open, deadlineClass, shortTime, viewport, categoryName,
      colorLabel, colorTagType, stateLabel, stateTagType, urgencyLabel, urgencyTagType,
    };
  },
  render,
};
