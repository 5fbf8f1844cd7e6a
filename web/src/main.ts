import '@gouvfr/dsfr/dist/core/core.main.min.css';
import '@gouvfr/dsfr/dist/component/component.main.min.css';
import '@gouvfr/dsfr/dist/utility/utility.main.min.css';
// Not icons.min.css: the full set weighs megabytes; the main set covers what the console uses.
import '@gouvfr/dsfr/dist/utility/icons/icons.main.min.css';
import '@gouvminint/vue-dsfr/styles';
import './console.css';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.ts';
import { locale } from './i18n.ts';

document.documentElement.lang = locale.value;
createApp(App).use(router).mount('#app');
