// Starts the console: Vue (runtime only: templates are precompiled, the CSP
// forbids eval), Element Plus with all its icons, and the $t helper that
// every template uses for its text.
import { createApp } from '../vendor/vue.js';
import ElementPlus from '../vendor/element-plus.js';
import * as icons from '../vendor/element-plus-icons.js';
import { t, applyLocaleToDocument } from './i18n.js';
import App from './shell/App.js';

const app = createApp(App);
app.use(ElementPlus);
for (const [name, component] of Object.entries(icons))
  app.component(name, component);
app.config.globalProperties.$t = t;
applyLocaleToDocument();
app.mount('#app');
