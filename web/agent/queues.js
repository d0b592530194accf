// The queues of the agent's sites (a supervisor's: every site), as tables.
import {$, el} from '../shared/dom.js';

import {agent, api, isSupervisor, serviceName, siteName, t} from './context.js';
import {handleError} from './sign-in.js';
import {renderCalls} from './supervision.js';

let queues = new Map();  // site id -> entries

export function queueEntries() {
  return queues;
}

export function visibleSiteIds() {
  return isSupervisor() ? [...agent.sites.keys()] : (agent.me.site_ids || []);
}

export async function refreshQueues() {
  const ids = visibleSiteIds();
  const answers = await Promise.all(ids.map((id) => api.get(`/sites/${id}/queue`).catch((error) => {
    if (error.status === 401) throw error;
    return null;
  }))).catch((error) => { handleError(error); return []; });
  queues = new Map();
  ids.forEach((id, i) => { if (answers[i]) queues.set(id, answers[i].entries || []); });
  renderQueues();
  if (isSupervisor()) renderCalls();
}

function waitedMinutes(entry) {
  return Math.max(0, Math.floor((Date.now() - Date.parse(entry.enqueued_at)) / 60000));
}

export function renderQueues() {
  const container = $('queues');
  container.replaceChildren();
  for (const [siteId, entries] of queues) {
    const rows = entries.filter((entry) => entry.state !== 'accepted');
    const table = el('table', {},
      el('caption', {}, t('queue.caption', {site: siteName(siteId)})),
      el('thead', {}, el('tr', {}, ...['queue.position', 'queue.kind', 'queue.service',
                                      'queue.language', 'queue.state', 'queue.since']
                                       .map((key) => el('th', {scope: 'col'}, t(key))))),
      el('tbody', {}, rows.length === 0
        ? el('tr', {}, el('td', {colspan: 6}, t('queues.empty')))
        : rows.map((entry) => el('tr', {},
            el('td', {}, entry.position ?? ''),
            el('td', {}, t(`kind.${entry.kind}`)),
            el('td', {}, serviceName(entry.service_id)),
            el('td', {}, t(`language.${entry.language}`)),
            el('td', {}, t(`entry.${entry.state}`)),
            el('td', {}, t('queue.minutes', {minutes: waitedMinutes(entry)}))))));
    container.append(table);
  }
}
