// Previous / next paging for a useCursorList() list, with the page size.
import { render } from './CursorPager.render.js';

export default {
  name: 'CursorPager',
  props: { list: { type: Object, required: true } },
  setup() {
    return { sizes: [20, 50, 100, 200] };
  },
  render,
};
