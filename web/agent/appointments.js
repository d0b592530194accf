// Today's appointments at the agent's sites, as tables (none where the agent may not see them).
import {$, el, formatTime, localDate} from '../shared/dom.js';

import {agent, api, i18n, serviceName, siteName, t} from './context.js';
import {visibleSiteIds} from './queues.js';
import {handleError} from './sign-in.js';

let appointments = new Map();  // site id -> list, or 'forbidden'

export async function refreshAppointments() {
  const ids = visibleSiteIds();
  appointments = new Map();
  await Promise.all(ids.map(async (id) => {
    const date = localDate(agent.sites.get(id)?.timezone);
    try {
      const answer = await api.get(`/appointments?site_id=${id}&date=${date}&limit=500`);
      appointments.set(id, answer.appointments || []);
    } catch (error) {
      if (error.status === 401) return handleError(error);
      appointments.set(id, error.status === 403 ? 'forbidden' : []);
    }
  }));
  renderAppointments();
}

export function renderAppointments() {
  const container = $('appointments');
  container.replaceChildren();
  if ([...appointments.values()].every((list) => list === 'forbidden') && appointments.size) {
    container.append(el('p', {class: 'muted'}, t('appointments.forbidden')));
    return;
  }
  for (const [siteId, list] of appointments) {
    if (list === 'forbidden') continue;
    const timeZone = agent.sites.get(siteId)?.timezone;
    const sorted = [...list].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    container.append(el('table', {},
      el('caption', {}, t('appointments.caption', {site: siteName(siteId)})),
      el('thead', {}, el('tr', {}, ...['appointments.time', 'appointments.citizen',
                                      'appointments.service', 'appointments.status']
                                       .map((key) => el('th', {scope: 'col'}, t(key))))),
      el('tbody', {}, sorted.length === 0
        ? el('tr', {}, el('td', {colspan: 4}, t('appointments.none')))
        : sorted.map((a) => el('tr', {},
            el('td', {}, formatTime(a.starts_at, i18n.lang, timeZone)),
            el('td', {}, a.citizen?.name || ''),
            el('td', {}, serviceName(a.service_id)),
            el('td', {}, t(`status.${a.status}`)))))));
  }
}
