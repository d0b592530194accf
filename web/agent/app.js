// The agent console: sign in, presence, the queues of my sites and today's appointments, an offer
// with its countdown, the call, ending it with an outcome, wrap-up; for supervisors also every
// agent's state, the live calls and today's figures. What is shown is re-read from the REST API
// whenever a live event says something changed (events carry ids, the API the facts).
import {createApi} from '/shared/api.js';
import {LiveEvents} from '/shared/events.js';
import {CallView} from '/assets/call-view.js';
import {$, debounce, el, formatTime, localDate, showScreen} from '/assets/dom.js';
import {createI18n} from '/assets/i18n.js';

import {STRINGS} from './i18n.js';
import {waitChart} from './chart.js';

const TOKEN_KEY = 'vg.agent.token';
const SESSION_KEY = 'vg.agent.session';  // the call this tab is in, to rejoin after a reload
const WRAP_UP_SECONDS = 30;               // the server's default (ApiOptions::wrap_up)
const POLL_MS = 15000;
const AUTO_CLAIM_PAUSE_MS = 20000;        // after a decline or a missed offer

const i18n = createI18n(STRINGS, {storageKey: 'vg.agent.lang'});
const t = i18n.t;
const api = createApi();
const callView = new CallView('agent', i18n);

let me = null;             // GET /agents/me
let sites = new Map();     // id -> site
let services = new Map();  // id -> service
let queues = new Map();    // site id -> entries
let appointments = new Map();  // site id -> list, or 'forbidden'
let agents = [];           // supervisors: GET /agents
const agentPresence = new Map();  // agent id -> {state, since}, from live events
let liveSessions = null;   // session id -> session, once live events told (supervisors)
let figures = new Map();   // site id -> daily stats
let events = null;
let offer = null;          // the entry offered to me
let offerTimer = null;
let sessionId = null;
let wrapUpTimer = null;
let autoClaimPausedUntil = 0;
let claiming = false;

const isSupervisor = () => (me?.roles || []).some((role) => role === 'supervisor' || role === 'admin');
const siteName = (id) => {
  const site = sites.get(id);
  return site ? (i18n.lang === 'fr' ? site.name_fr : site.name_en) : '';
};
const serviceName = (id) => {
  const service = services.get(id);
  return service ? (i18n.lang === 'fr' ? service.name_fr : service.name_en) : '';
};
const stateName = (state) => t(`state.${state}`) || state;
const setMessage = (key, vars) => { $('console-message').textContent = key ? t(key, vars) : ''; };

// --- sign in and out

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    const answer = await api.post('/auth/login', {email: $('login-email').value.trim(),
                                                  password: $('login-password').value});
    $('login-password').value = '';
    sessionStorage.setItem(TOKEN_KEY, answer.token);
    await startConsole(answer.token);
  } catch (error) {
    const key = error.status === 401 ? 'login.wrong'
        : error.status === 429 ? 'login.toomany'
        : error.status === 0 ? 'error.network' : 'error.generic';
    $('login-error').textContent = t(key);
  }
}

async function logout() {
  try {
    await api.post('/auth/logout');
  } catch {
    // Signed out here anyway.
  }
  signedOut();
}

function signedOut(messageKey = null) {
  events?.stop();
  events = null;
  callView.stop();
  clearOffer();
  sessionId = null;
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(SESSION_KEY);
  api.setToken(null);
  me = null;
  $('presence').hidden = true;
  $('logout').hidden = true;
  $('agent-name').textContent = '';
  document.body.dataset.screen = 'login';
  showScreen('login', {focus: false});
  $('login-error').textContent = messageKey ? t(messageKey) : '';
  $('login-email').focus();
}

function handleError(error, fallbackKey = 'error.generic') {
  if (error?.status === 401) {
    signedOut('session.expired');
    return;
  }
  console.warn(error);
  setMessage(error?.status === 0 ? 'error.network' : fallbackKey);
}

async function startConsole(token) {
  api.setToken(token);
  me = await api.get('/agents/me');
  $('agent-name').textContent = me.display_name;
  $('presence').hidden = false;
  $('logout').hidden = false;
  document.body.dataset.screen = 'console';
  showScreen('console');
  const [siteList, serviceList] = await Promise.all([api.get('/sites?limit=500'),
                                                     api.get('/services?limit=500')]);
  sites = new Map((siteList.sites || []).map((site) => [site.id, site]));
  services = new Map((serviceList.services || []).map((service) => [service.id, service]));
  $('supervision').hidden = !isSupervisor();
  startEvents(token);
  await refreshAll();
  const saved = sessionStorage.getItem(SESSION_KEY);
  if (saved && me.presence?.state === 'in_call') joinCall(saved);
  else if (!sessionId) sessionStorage.removeItem(SESSION_KEY);
}

// --- presence

async function setPresence(state) {
  setMessage(null);
  try {
    me.presence = await api.put('/agents/me/presence', {state});
    if (offer && me.presence.state !== 'offered') clearOffer();
    if (state !== 'available') autoClaimPausedUntil = 0;
    renderPresence();
    if (state === 'available') maybeAutoClaim();
  } catch (error) {
    handleError(error, 'presence.refused');
  }
}

function renderPresence() {
  const state = me?.presence?.state || 'offline';
  for (const button of document.querySelectorAll('#presence button')) {
    button.setAttribute('aria-pressed', String(button.dataset.state === state));
  }
  $('presence-current').textContent = t('presence.current', {state: stateName(state)});
  document.body.dataset.presence = state;
  $('take-next').disabled = state !== 'available';
  // In a call presence follows the call; with an offer pending one may still step away.
  for (const button of document.querySelectorAll('#presence button')) {
    button.disabled = state === 'in_call' || (state === 'offered' && button.dataset.state === 'available');
  }
  renderWrapUp();
}

function renderWrapUp() {
  const state = me?.presence?.state;
  clearTimeout(wrapUpTimer);
  const panel = $('wrapup');
  if (state !== 'wrap_up' || sessionId) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const since = Date.parse(me.presence.since) || Date.now();
  const tick = () => {
    const left = Math.max(0, Math.ceil((since + WRAP_UP_SECONDS * 1000 - Date.now()) / 1000));
    $('wrapup-countdown').textContent = t('wrapup.countdown', {seconds: left});
    if (left <= 0) {
      refreshMe();  // the server makes the agent available; read it
      wrapUpTimer = setTimeout(tick, 2000);
    } else {
      wrapUpTimer = setTimeout(tick, 1000);
    }
  };
  tick();
}

async function refreshMe() {
  try {
    me = {...me, ...(await api.get('/agents/me'))};
    renderPresence();
    // Offered but not shown (a reload): claim-next answers the pending offer. Not right after
    // an offer ran out here, when it could claim the same citizen again.
    if (me.presence?.state === 'offered' && !offer && Date.now() >= autoClaimPausedUntil) fetchOffer();
    if (me.presence?.state !== 'offered' && offer) clearOffer();
  } catch (error) {
    handleError(error);
  }
}

// --- offers

// The entry now offered to me: claim-next answers the pending offer of an agent in "offered".
async function fetchOffer() {
  try {
    const entry = await api.post('/queue/claim-next');
    if (entry) showOffer(entry);
  } catch (error) {
    if (error.status !== 409) handleError(error);
  }
}

async function takeNext({auto = false} = {}) {
  if (claiming || offer || sessionId) return;
  claiming = true;
  if (!auto) setMessage(null);
  try {
    const entry = await api.post('/queue/claim-next');
    if (entry) showOffer(entry);
    else if (!auto) setMessage('take.none');
    await refreshMe();
  } catch (error) {
    if (error.status === 409) {
      if (!auto) setMessage('take.refused');
    } else {
      handleError(error);
    }
  } finally {
    claiming = false;
  }
}

// An available agent is offered the next citizen as soon as one waits for what they serve.
function maybeAutoClaim() {
  if (me?.presence?.state !== 'available' || offer || sessionId) return;
  if (Date.now() < autoClaimPausedUntil) return;
  const waiting = [...queues.values()].some((entries) => entries.some((entry) =>
    entry.state === 'waiting' && (me.service_ids || []).includes(entry.service_id) &&
    (me.languages || []).includes(entry.language)));
  if (waiting) takeNext({auto: true});
}

function showOffer(detail) {
  // From claim-next (a queue entry) or from a live "offer" (queue_entry_id, expires_at).
  const entry = {...detail, id: detail.queue_entry_id || detail.id,
                 offer_expires_at: detail.offer_expires_at || detail.expires_at};
  if (Date.parse(entry.offer_expires_at) <= Date.now()) return;  // already gone
  offer = entry;
  setMessage(null);
  const details = $('offer-details');
  const time = entry.starts_at ? formatTime(entry.starts_at, i18n.lang, sites.get(entry.site_id)?.timezone) : '';
  details.replaceChildren(
    el('li', {}, entry.kind === 'appointment' ? t('offer.kind.appointment', {time})
                                              : t('offer.kind.walk_in')),
    entry.citizen?.name ? el('li', {}, t('offer.citizen', {name: entry.citizen.name})) : null,
    el('li', {}, t('offer.service', {service: serviceName(entry.service_id)})),
    el('li', {}, t('offer.site', {site: siteName(entry.site_id)})),
    el('li', {}, t('offer.language', {language: t(`language.${entry.language}`)})),
  );
  $('offer').hidden = false;
  $('offer-alert').textContent = t('offer.title');
  $('offer-accept').focus();
  const expires = Date.parse(entry.offer_expires_at);
  clearTimeout(offerTimer);
  const tick = () => {
    const left = Math.max(0, Math.ceil((expires - Date.now()) / 1000));
    $('offer-countdown').textContent = t('offer.countdown', {seconds: left});
    if (left === 10 || left === 5) $('offer-alert').textContent = t('offer.countdown', {seconds: left});
    if (left <= 0) {
      clearOffer();
      autoClaimPausedUntil = Date.now() + AUTO_CLAIM_PAUSE_MS;
      setMessage('offer.expired');
      refreshMe();
      return;
    }
    offerTimer = setTimeout(tick, 1000);
  };
  if (Number.isFinite(expires)) tick();
  else $('offer-countdown').textContent = '';
}

function clearOffer() {
  clearTimeout(offerTimer);
  offer = null;
  $('offer').hidden = true;
  $('offer-alert').textContent = '';
}

async function acceptOffer() {
  if (!offer) return;
  const entry = offer;
  $('offer-accept').disabled = true;
  try {
    const answer = await api.post(`/queue/${entry.id}/accept`);
    clearOffer();
    joinCall(answer.session_id);
    refreshMe();
  } catch (error) {
    clearOffer();
    if (error.status === 409 || error.status === 403 || error.status === 404) setMessage('offer.gone');
    else handleError(error);
    refreshMe();
  } finally {
    $('offer-accept').disabled = false;
  }
}

async function declineOffer() {
  if (!offer) return;
  const entry = offer;
  clearOffer();
  autoClaimPausedUntil = Date.now() + AUTO_CLAIM_PAUSE_MS;
  try {
    await api.post(`/queue/${entry.id}/decline`);
  } catch (error) {
    if (error.status !== 409) handleError(error);
  }
  refreshMe();
}

// --- the call

async function joinCall(id) {
  if (sessionId === id) return;  // already in it, or joining
  sessionId = id;
  sessionStorage.setItem(SESSION_KEY, id);
  $('call').hidden = false;
  $('wrapup').hidden = true;
  $('end-error').textContent = '';
  document.body.dataset.call = 'on';
  try {
    await callView.joinSession(api, id, () => sessionId === id);
  } catch (error) {
    if (sessionId !== id) return;
    if (error.status === 409 || error.status === 404 || error.status === 403) {
      leaveCall();
      refreshMe();
    } else {
      handleError(error);
      // Not reachable now: try again while nothing else took this console's call.
      sessionId = null;
      setTimeout(() => { if (!sessionId && me) joinCall(id); }, 3000);
    }
  }
}

function leaveCall() {
  callView.stop();
  sessionId = null;
  sessionStorage.removeItem(SESSION_KEY);
  $('call').hidden = true;
  $('end-notes').value = '';
  $('end-outcome').value = 'served';
  document.body.dataset.call = 'off';
}

async function endCall(event) {
  event.preventDefault();
  if (!sessionId) return;
  const body = {outcome: $('end-outcome').value};
  const notes = $('end-notes').value.trim();
  if (notes) body.notes = notes;
  $('end-submit').disabled = true;
  try {
    await api.post(`/sessions/${sessionId}/end`, body);
    leaveCall();
    await refreshMe();
    $('wrapup-ready').focus();
  } catch (error) {
    if (error.status === 409) {
      leaveCall();
      refreshMe();
    } else if (error.status === 401) {
      handleError(error);
    } else {
      $('end-error').textContent = t(error.status === 0 ? 'error.network' : 'end.failed');
    }
  } finally {
    $('end-submit').disabled = false;
  }
}

callView.addEventListener('ended', (event) => {
  const id = sessionId;
  if (!id) return;
  // A refused join token on a reconnect (it is short-lived): ask for a new one.
  if (event.detail === 'unauthorized') {
    sessionId = null;
    joinCall(id);
  }
});

// --- what the console shows

async function refreshAll() {
  if (!me) return;
  await Promise.all([refreshMe(), refreshQueues(), refreshAppointments(),
                     isSupervisor() ? refreshSupervision() : null]);
  maybeAutoClaim();
}

function visibleSiteIds() {
  return isSupervisor() ? [...sites.keys()] : (me.site_ids || []);
}

async function refreshQueues() {
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

function renderQueues() {
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

async function refreshAppointments() {
  const ids = visibleSiteIds();
  appointments = new Map();
  await Promise.all(ids.map(async (id) => {
    const date = localDate(sites.get(id)?.timezone);
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

function renderAppointments() {
  const container = $('appointments');
  container.replaceChildren();
  if ([...appointments.values()].every((list) => list === 'forbidden') && appointments.size) {
    container.append(el('p', {class: 'muted'}, t('appointments.forbidden')));
    return;
  }
  for (const [siteId, list] of appointments) {
    if (list === 'forbidden') continue;
    const timeZone = sites.get(siteId)?.timezone;
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

// --- supervision

async function refreshSupervision() {
  try {
    const [agentList] = await Promise.all([
      api.get('/agents?limit=500'),
      ...[...sites.keys()].map(async (id) => {
        try {
          figures.set(id, await api.get(`/stats/daily?site_id=${id}&date=${localDate(sites.get(id)?.timezone)}`));
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

// Times are shown in the agent's first site's time zone (the sites' local time).
function timeZoneOf(agent) {
  const siteId = (agent.site_ids || []).find((id) => sites.has(id)) || [...sites.keys()][0];
  return sites.get(siteId)?.timezone;
}

function renderSupervision() {
  if (!isSupervisor()) return;
  const agentsBox = $('sup-agents');
  agentsBox.replaceChildren(el('table', {},
    el('caption', {class: 'visually-hidden'}, t('sup.agents.caption')),
    el('thead', {}, el('tr', {}, ...['sup.agent', 'sup.state', 'sup.since']
                                     .map((key) => el('th', {scope: 'col'}, t(key))))),
    el('tbody', {}, agents.map((agent) => {
      const presence = agent.id === me.id ? me.presence
          : agentPresence.get(agent.id) || agent.presence;
      return el('tr', {},
        el('td', {}, agent.display_name),
        el('td', {}, presence?.state ? stateName(presence.state) : t('state.unknown')),
        el('td', {}, presence?.since ? formatTime(presence.since, i18n.lang, timeZoneOf(agent)) : ''));
    }))));
  renderCalls();
  renderFigures();
}

function renderCalls() {
  if (!isSupervisor()) return;
  const box = $('sup-calls');
  if (liveSessions) {
    renderSessions(box);
    return;
  }
  // Without the live feed: the queue entries now in a call.
  const calls = [];
  for (const [siteId, entries] of queues) {
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
  const agentName = (id) => agents.find((agent) => agent.id === id)?.display_name || '';
  box.replaceChildren(el('table', {id: 'calls-table'},
    el('caption', {class: 'visually-hidden'}, t('sup.calls.caption')),
    el('thead', {}, el('tr', {}, ...['sup.site', 'sup.agent', 'sup.since']
                                     .map((key) => el('th', {scope: 'col'}, t(key))))),
    el('tbody', {}, [...liveSessions.values()].map((session) => el('tr', {},
      el('td', {}, siteName(session.site_id)), el('td', {}, agentName(session.agent_id)),
      el('td', {}, formatTime(session.started_at, i18n.lang, sites.get(session.site_id)?.timezone)))))));
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

// --- live events

function startEvents(token) {
  events = new LiveEvents({token});
  const refresh = debounce(refreshAll, 200);
  for (const type of ['queue.changed', 'presence.changed', 'session.ready', 'snapshot']) {
    events.addEventListener(type, refresh);
  }
  events.addEventListener('snapshot', (event) => {
    const {agents: presences, sessions} = event.detail;
    if (Array.isArray(presences)) {
      for (const p of presences) agentPresence.set(p.agent_id, {state: p.state, since: p.since});
    }
    if (Array.isArray(sessions) && isSupervisor()) {
      liveSessions = new Map(sessions.map((session) => [session.session_id, session]));
    }
    // A call of mine still going (this console was reloaded or reopened): back into it.
    const mine = (sessions || []).find((session) => session.agent_id === me?.id && !session.ended_at);
    if (mine && !sessionId) joinCall(mine.session_id);
    else if (event.detail.offer?.queue_entry_id && !offer && !sessionId) showOffer(event.detail.offer);
    renderSupervision();
  });
  events.addEventListener('presence.changed', (event) => {
    const {agent_id: agentId, state, since} = event.detail;
    if (!agentId || !state) return;
    agentPresence.set(agentId, {state, since});
    if (agentId === me?.id) {
      me.presence = {state, since};
      renderPresence();
    }
    renderSupervision();
  });
  events.addEventListener('offer', (event) => {
    if (sessionId) return;
    if (event.detail.queue_entry_id || event.detail.id) showOffer(event.detail);
    else if (!offer) fetchOffer();
  });
  events.addEventListener('session.ready', (event) => {
    if (liveSessions && event.detail.session_id) {
      liveSessions.set(event.detail.session_id, event.detail);
      renderCalls();
    }
  });
  events.addEventListener('session.ended', (event) => {
    const ended = event.detail.session_id || event.detail.object_id;
    // Ended elsewhere (another tab, or the server after a lost connection).
    if (sessionId && ended === sessionId) leaveCall();
    if (liveSessions) {
      liveSessions.delete(ended);
      renderCalls();
    }
    refresh();
  });
  events.addEventListener('connection', (event) => {
    $('banner').hidden = event.detail;
    $('banner').textContent = event.detail ? '' : t('offline.banner');
    if (event.detail) refresh();
  });
  events.addEventListener('unauthorized', () => signedOut('session.expired'));
  events.start();
}

// --- start

function wire() {
  i18n.apply(document);
  $('lang-switch').lang = i18n.other;
  i18n.onChange(() => {
    $('lang-switch').lang = i18n.other;
    if (!me) return;
    renderPresence();
    renderQueues();
    renderAppointments();
    renderSupervision();
    if (offer) showOffer(offer);
  });
  $('lang-switch').addEventListener('click', () => i18n.setLang(i18n.other));
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  for (const button of document.querySelectorAll('#presence button')) {
    button.addEventListener('click', () => setPresence(button.dataset.state));
  }
  $('take-next').addEventListener('click', () => takeNext());
  $('offer-accept').addEventListener('click', acceptOffer);
  $('offer-decline').addEventListener('click', declineOffer);
  $('end-form').addEventListener('submit', endCall);
  $('wrapup-ready').addEventListener('click', () => setPresence('available'));
}

async function main() {
  wire();
  setInterval(() => { if (me) refreshAll(); }, POLL_MS);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    signedOut();
    return;
  }
  try {
    await startConsole(token);
  } catch (error) {
    signedOut(error.status === 401 ? 'session.expired' : null);
  }
}

// For the end-to-end tests.
window.vgAgent = {
  stats: () => callView.mediaTotals(),
  get sessionId() { return sessionId; },
  get presence() { return me?.presence?.state ?? null; },
};

main().catch((error) => console.error('agent console failed to start', error));
