// What every part of the agent console shares: the REST API, the strings, the call view, who is
// signed in (GET /agents/me) and the sites and services they work with.
import {createApi} from '../shared/api.js';
import {CallView} from '../shared/call-view.js';
import {$} from '../shared/dom.js';
import {createI18n} from '../shared/i18n.js';

import {STRINGS} from './i18n.js';

export const i18n = createI18n(STRINGS, {storageKey: 'vg.agent.lang'});
export const t = i18n.t;
export const api = createApi();
export const callView = new CallView('agent', i18n);

export const agent = {
  me: null,             // GET /agents/me, with the presence the console last heard of
  sites: new Map(),     // id -> site
  services: new Map(),  // id -> service
};

export function isSupervisor() {
  return (agent.me?.roles || []).some((role) => role === 'supervisor' || role === 'admin');
}

export function siteName(id) {
  const site = agent.sites.get(id);
  return site ? (i18n.lang === 'fr' ? site.name_fr : site.name_en) : '';
}

export function serviceName(id) {
  const service = agent.services.get(id);
  return service ? (i18n.lang === 'fr' ? service.name_fr : service.name_en) : '';
}

export function stateName(state) {
  return t(`state.${state}`) || state;
}

export function setMessage(key, vars) {
  $('console-message').textContent = key ? t(key, vars) : '';
}
