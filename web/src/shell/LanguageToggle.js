// Switches between Chinese and English; the choice is remembered.
import { computed } from '../../vendor/vue.js';
import { languageNames, locale, setLocale } from '../i18n.js';
import { render } from './LanguageToggle.render.js';

export default {
  name: 'LanguageToggle',
  setup() {
    const otherLanguage = computed(() => (locale.value === 'en' ? 'zh-CN' : 'en'));
    // The button names the language it switches to, in that language.
    const label = computed(() => languageNames[otherLanguage.value]);
    return { label, toggle: () => setLocale(otherLanguage.value) };
  },
  render,
};
