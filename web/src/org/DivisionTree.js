// The caller's divisions as a lazily loaded tree (one GET per expanded node),
// with a search box that switches to a flat list of matches.
import { ref, watch } from '../../vendor/vue.js';
import { api } from '../api.js';
import { notifyError } from '../feedback.js';
import { levelLabel, levelTagType } from '../format.js';
import { render } from './DivisionTree.render.js';

const SEARCH_DELAY_MS = 300;

export default {
  name: 'DivisionTree',
  props: { selected: { type: String, default: '' } },
  emits: ['select', 'roots'],
  setup(props, { emit, expose }) {
    const treeRef = ref(null);
    const treeKey = ref(0); // bumped to reload the whole tree
    const query = ref('');
    const results = ref([]);
    const searching = ref(false);
    const treeProps = {
      label: 'name',
      isLeaf: (data) => data.level === 'grid' || data.child_count === 0,
      class: (data) => (data.retired ? 'is-retired' : ''),
    };
    let searchTimer = null;
    let searchGeneration = 0;

    async function loadNode(node, resolve) {
      const parent = node.level === 0 ? undefined : node.data.code;
      try {
        const answer = await api.get('/divisions', { parent });
        resolve(answer.items);
        if (node.level === 0) {
          emit('roots', answer.items);
          // A single root (the county, or a township's own scope) is opened
          // at once: a lone closed node would only cost a click.
          if (answer.items.length === 1)
            node.childNodes[0].expand();
        }
      } catch (err) {
        notifyError(err);
        resolve([]);
      }
    }

    async function search() {
      const text = query.value.trim();
      const mine = ++searchGeneration;
      if (!text) {
        results.value = [];
        return;
      }
      searching.value = true;
      try {
        const answer = await api.get('/divisions', { q: text });
        if (mine === searchGeneration)
          results.value = answer.items;
      } catch (err) {
        if (mine === searchGeneration)
          notifyError(err);
      } finally {
        if (mine === searchGeneration)
          searching.value = false;
      }
    }

    watch(query, () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(search, SEARCH_DELAY_MS);
    });

    // Keeps the highlighted node in step when the selection comes from the
    // map, a search result or the address bar.
    watch(() => props.selected, (code) => {
      if (treeRef.value)
        treeRef.value.setCurrentKey(code || null);
    });

    // Reloads the children of one node after a change under it; without a
    // loaded node (a root, or a branch never opened) the whole tree reloads.
    function refreshChildren(parentCode) {
      const node = parentCode && treeRef.value ? treeRef.value.getNode(parentCode) : null;
      if (!node) {
        treeKey.value++;
        return;
      }
      node.loaded = false;
      node.isLeaf = false;
      node.childNodes = [];
      node.expand();
    }

    function refreshNode(division) {
      const node = treeRef.value ? treeRef.value.getNode(division.code) : null;
      if (node)
        Object.assign(node.data, division);
    }

    expose({ refreshChildren, refreshNode });
    return {
      treeRef, treeKey, query, results, searching, treeProps, loadNode, levelLabel, levelTagType,
      choose: (division) => emit('select', division.code),
    };
  },
  render,
};
