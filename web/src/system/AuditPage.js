// 审计日志: the audit trail, for auditors only (三员分立: the administrator
// who changes things cannot read it). Filter by action, entity and time.
import { reactive } from '../../vendor/vue.js';
import { api } from '../api.js';
import { useCursorList } from '../cursor-list.js';
import { actionLabel, auditActions, formatTime } from '../format.js';
import CursorPager from '../common/CursorPager.js';
import { render } from './AuditPage.render.js';

const auditEntities = ['user', 'session', 'division', 'unit', 'token', 'person'];
// The server wants ISO 8601 with the offset; Element Plus formats via dayjs.
const TIME_FORMAT = 'YYYY-MM-DD[T]HH:mm:ssZ';

function detailText(detail) {
  if (!detail || (typeof detail === 'object' && Object.keys(detail).length === 0))
    return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

export default {
  name: 'AuditPage',
  components: { CursorPager },
  setup() {
    const filters = reactive({ action: '', entity: '', range: null });
    const list = useCursorList((page) => api.get('/audit', {
      action: filters.action, entity: filters.entity,
      from: filters.range ? filters.range[0] : '', to: filters.range ? filters.range[1] : '',
      ...page,
    }));

    function resetFilters() {
      Object.assign(filters, { action: '', entity: '', range: null });
      list.reset();
    }

    list.reset();
    return {
      filters, list, auditActions, auditEntities, TIME_FORMAT, actionLabel, formatTime, detailText, resetFilters,
    };
  },
  render,
};
