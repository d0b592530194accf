// For supervisors: every agent's state, the calls going on, and today's figures per site with a
// chart of the waiting times.
import {$, el, formatTime, localDate} from '../shared/dom.js';

import {waitChart} from './chart.js';
import {agent, api, i18n, isSupervisor, serviceName, siteName, stateName, t} from './context.js';
import {queueEntries} from './queues.js';
import {handleError} from './sign-in.js';

let agents = [];                  // GET /agents
const agentPresence = new Map();  // agent id -> {state, since}, from live events
let liveSessions = null;          // session id -> session, once live events told
const figures = new Map();        // site id -> daily stats

export async function refreshSupervision() {
  try {
    const [agentList] = await Promise.all([
      api.get('/agents?limit=500'),
      ...[...agent.sites.keys()].map(async (id) => {
        try {
          figures.set(id, await api.get(`/stats/daily?site_id=${id}&date=${localDate(agent.sites.get(id)?.timezone)}`));
        } catch (error) {
          if (error.status === 401) throw error;
          figures.delete(id);
        }
      }),
    ]);
    agents = agentList.agents || [];
  } catch (error) {
    handleError(error);
  }
  renderSupervision();
}

// What the live events tell: an agent's presence, the calls going on when the feed starts, a
// call that starts or ends.
export function agentPresenceHeard(agentId, presence) {
  agentPresence.set(agentId, presence);
}

export function liveSessionsHeard(sessions) {
  if (isSupervisor()) liveSessions = new Map(sessions.map((session) => [session.session_id, session]));
}

export function sessionStarted(session) {
  if (liveSessions && session.session_id) {
    liveSessions.set(session.session_id, session);
    renderCalls();
  }
}

export function sessionEnded(id) {
  if (liveSessions) {
    liveSessions.delete(id);
    renderCalls();
  }
}

// Times are shown in the agent's first site's time zone (the sites' local time).
function timeZoneOf(someone) {
  const siteId = (someone.site_ids || []).find((id) => agent.sites.has(id)) || [...agent.sites.keys()][0];
  return agent.sites.get(siteId)?.timezone;
}

export function renderSupervision() {
  if (!isSupervisor()) return;
  const agentsBox = $('sup-agents');
  agentsBox.replaceChildren(el('table', {},
    el('caption', {class: 'visually-hidden'}, t('sup.agents.caption')),
    el('thead', {}, el('tr', {}, ...['sup.agent', 'sup.state', 'sup.since']
                                     .map((key) => el('th', {scope: 'col'}, t(key))))),
    el('tbody', {}, agents.map((other) => {
      const presence = other.id === agent.me.id ? agent.me.presence
          : agentPresence.get(other.id) || other.presence;
      return el('tr', {},
        el('td', {}, other.display_name),
        el('td', {}, presence?.state ? stateName(presence.state) : t('state.unknown')),
        el('td', {}, presence?.since ? formatTime(presence.since, i18n.lang, timeZoneOf(other)) : ''));
    }))));
  renderCalls();
  renderFigures();
}

export function renderCalls() {
  if (!isSupervisor()) return;
  const box = $('sup-calls');
  if (liveSessions) {
    renderSessions(box);
    return;
  }
  // Without the live feed: the queue entries now in a call.
  const calls = [];
  for (const [siteId, entries] of queueEntries()) {
    for (const entry of entries) if (entry.state === 'accepted') calls.push({siteId, entry});
  }
  if (calls.length === 0) {
    box.replaceChildren(el('p', {class: 'muted'}, t('sup.calls.none')));
    return;
  }
  box.replaceChildren(el('table', {},
    el('caption', {class: 'visually-hidden'}, t('sup.calls.caption')),
    el('thead', {}, el('tr', {}, ...['sup.site', 'queue.kind', 'queue.service']
                                     .map((key) => el('th', {scope: 'col'}, t(key))))),
    el('tbody', {}, calls.map(({siteId, entry}) => el('tr', {},
      el('td', {}, siteName(siteId)), el('td', {}, t(`kind.${entry.kind}`)),
      el('td', {}, serviceName(entry.service_id)))))));
}

function renderSessions(box) {
  if (liveSessions.size === 0) {
    box.replaceChildren(el('p', {class: 'muted'}, t('sup.calls.none')));
    return;
  }
  const agentName = (id) => agents.find((other) => other.id === id)?.display_name || '';
  box.replaceChildren(el('table', {id: 'calls-table'},
    el('caption', {class: 'visually-hidden'}, t('sup.calls.caption')),
    el('thead', {}, el('tr', {}, ...['sup.site', 'sup.agent', 'sup.since']
                                     .map((key) => el('th', {scope: 'col'}, t(key))))),
    el('tbody', {}, [...liveSessions.values()].map((session) => el('tr', {},
      el('td', {}, siteName(session.site_id)), el('td', {}, agentName(session.agent_id)),
      el('td', {}, formatTime(session.started_at, i18n.lang, agent.sites.get(session.site_id)?.timezone)))))));
}

function renderFigures() {
  const box = $('sup-figures');
  const columns = [['stats.appointments', 'appointments'], ['stats.walk_ins', 'walk_ins'],
                   ['stats.served', 'served'], ['stats.no_shows', 'no_shows'],
                   ['stats.abandoned', 'abandoned']];
  const durations = [['stats.avg_wait', 'avg_wait_seconds'], ['stats.p90_wait', 'p90_wait_seconds'],
                     ['stats.avg_service', 'avg_service_seconds']];
  box.replaceChildren(el('table', {id: 'figures-table'},
    el('caption', {class: 'visually-hidden'}, t('sup.figures.caption')),
    el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, t('sup.site')),
                       ...[...columns, ...durations].map(([key]) => el('th', {scope: 'col'}, t(key))))),
    el('tbody', {}, [...figures].map(([siteId, stats]) => el('tr', {dataset: {site: siteId}},
      el('th', {scope: 'row'}, siteName(siteId)),
      ...columns.map(([, field]) => el('td', {dataset: {field}}, stats[field] ?? 0)),
      ...durations.map(([, field]) => el('td', {dataset: {field}},
                                         t('stats.seconds', {value: stats[field] ?? null}))))))));
  const bars = [...figures].map(([siteId, stats]) => ({
    label: siteName(siteId), avg: stats.avg_wait_seconds, p90: stats.p90_wait_seconds,
  }));
  $('sup-chart').replaceChildren(waitChart(bars, t));
}
