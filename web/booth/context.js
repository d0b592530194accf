// What every part of the booth page shares: the REST API, the strings, the call view, the
// booth's credential and the screen it shows.
import {createApi} from '../shared/api.js';
import {CallView} from '../shared/call-view.js';
import {$, showScreen} from '../shared/dom.js';
import {createI18n} from '../shared/i18n.js';

import {STRINGS} from './i18n.js';

export const RETRY_MS = 3000;  // the server not reachable: try again after this

export const i18n = createI18n(STRINGS);
export const t = i18n.t;
export const api = createApi();
export const callView = new CallView('booth', i18n);

export const kiosk = {
  credential: null,  // {booth_token, booth: {id, label, site: {name_fr, name_en, ...}}}
  screen: 'loading',
};

export function setScreen(name, options) {
  kiosk.screen = name;
  document.body.dataset.screen = name;
  showScreen(name, options);
}

export function showError(id, key, vars) {
  $(id).textContent = key ? t(key, vars) : '';
}
