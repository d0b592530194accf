// The booth kiosk: enrols once from its enrolment URL (/booth/#enroll=TOKEN), then loops through
// welcome -> check-in by code (or walk-in) -> waiting -> call -> end -> welcome. What the booth
// shows is driven by GET /booth/state, re-read whenever a live event says something changed, so a
// reload, a lost connection or a dropped agent all land on the right screen.
import {createApi} from '/shared/api.js';
import {LiveEvents} from '/shared/events.js';
import {CallView} from '/assets/call-view.js';
import {$, debounce, el, minutesFrom, showScreen} from '/assets/dom.js';
import {createI18n} from '/assets/i18n.js';

import {STRINGS} from './i18n.js';

const STORAGE_KEY = 'vg.booth.credential';
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 6;
const END_SCREEN_SECONDS = 10;
const IDLE_SECONDS = 90;          // a check-in left half done goes back to welcome
const STATE_POLL_MS = 15000;      // safety net besides live events
const RETRY_MS = 3000;

const i18n = createI18n(STRINGS);
const t = i18n.t;
const api = createApi();
const callView = new CallView('booth', i18n);

let credential = null;   // {booth_token, booth: {id, label, site: {name_fr, name_en, ...}}}
let events = null;
let screen = 'loading';
let sessionId = null;    // the call session this page is in
let lastPlace = null;    // {position, estimated_wait_seconds} while waiting
let waitingNotice = null;
let idleTimer = null;
let endTimer = null;
let services = [];       // walk-in services

function setScreen(name, options) {
  screen = name;
  document.body.dataset.screen = name;
  showScreen(name, options);
}

function showError(id, key, vars) {
  $(id).textContent = key ? t(key, vars) : '';
}

// --- enrolment

function loadCredential() {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY));
    return value?.booth_token ? value : null;
  } catch {
    return null;
  }
}

async function enrolFromAddress() {
  const token = new URLSearchParams(location.hash.slice(1)).get('enroll');
  if (!token) return;
  // The token is single-use: take it out of the address so a reload does not resend it.
  history.replaceState(null, '', location.pathname + location.search);
  for (;;) {
    try {
      const answer = await api.post('/booth/enroll', {enrollment_token: token});
      credential = {booth_token: answer.booth_token, booth: answer.booth};
      localStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
      return;
    } catch (error) {
      if (error.status !== 0) {
        // A used link on a booth that already holds a credential is a reopened kiosk: go on.
        if (!credential) {
          setScreen('unenrolled');
          showError('enrol-error', 'enrol.failed');
        }
        return;
      }
      setScreen('unenrolled');
      showError('enrol-error', 'enrol.network');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

function revoked() {
  localStorage.removeItem(STORAGE_KEY);
  credential = null;
  events?.stop();
  events = null;
  callView.stop();
  sessionId = null;
  setScreen('unenrolled');
  showError('enrol-error', 'revoked');
}

// --- the booth's place, from the server

let refreshing = null;
let refreshAgain = false;

// GET /booth/state and move to the screen it calls for; calls made meanwhile run once after.
function refreshState() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      try {
        applyState(await api.get('/booth/state'));
        if (events?.connected) setBanner(false);
      } catch (error) {
        if (error.status === 401) revoked();
        else if (error.status === 0) setBanner(true);
        else console.warn('booth state', error);
      }
    } while (refreshAgain);
    refreshing = null;
  })();
  return refreshing;
}

function applyState(state) {
  if (!credential) return;
  if (state.state === 'in_call' && state.session_id) {
    if (state.session_id !== sessionId) joinCall(state.session_id);
    return;
  }
  if (state.state === 'waiting') {
    if (screen === 'call') {
      // The call stopped but the citizen is queued again: the agent dropped.
      leaveCall();
      waitingNotice = 'waiting.agentlost';
    }
    showWaiting(state);
    return;
  }
  if (state.state === 'idle') {
    if (screen === 'call') finishCall();
    else if (screen === 'waiting') goWelcome();
  }
}

// --- screens

function goWelcome() {
  clearTimeout(endTimer);
  clearTimeout(idleTimer);
  lastPlace = null;
  waitingNotice = null;
  $('code').value = '';
  for (const id of ['checkin-error', 'walkin-error', 'waiting-notice']) showError(id);
  i18n.setLang('fr');  // each citizen starts in French
  renderSite();
  $('go-walkin').hidden = services.length === 0;
  setScreen('welcome');
  loadServices();
}

function renderSite() {
  const site = credential?.booth?.site;
  const name = site ? (i18n.lang === 'fr' ? site.name_fr : site.name_en) : '';
  $('site-name').textContent = name || '';
  $('welcome-site').textContent = name ? t('welcome.site', {site: name}) : '';
}

function startIdleTimer() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (screen === 'checkin' || screen === 'walkin') goWelcome();
  }, IDLE_SECONDS * 1000);
}

function showWaiting(place) {
  lastPlace = place;
  if (screen !== 'waiting') setScreen('waiting');
  renderWaiting();
}

function renderWaiting() {
  if (!lastPlace) return;
  const {position, estimated_wait_seconds: wait} = lastPlace;
  $('waiting-position').textContent = position ? t('waiting.position', {n: position}) : '';
  let waitText;
  if (wait === null || wait === undefined) waitText = t('waiting.noagent');
  else if (wait <= 0) waitText = t('waiting.soon');
  else waitText = t('waiting.wait', {minutes: minutesFrom(wait)});
  $('waiting-wait').textContent = waitText;
  $('waiting-notice').textContent = waitingNotice ? t(waitingNotice) : '';
}

// --- check-in by code

function buildKeypad() {
  const keypad = $('keypad');
  for (const char of CODE_ALPHABET) {
    keypad.append(el('button', {type: 'button', class: 'key', onclick: () => typeChar(char)}, char));
  }
  keypad.append(el('button', {type: 'button', class: 'key del', 'data-i18n': 'checkin.delete',
                              onclick: deleteChar}));
}

function typeChar(char) {
  const input = $('code');
  if (input.value.replace(/[\s-]/g, '').length >= CODE_LENGTH) return;
  input.value += char;
  showError('checkin-error');
}

function deleteChar() {
  const input = $('code');
  input.value = input.value.slice(0, -1);
}

async function submitCode(event) {
  event.preventDefault();
  const code = $('code').value.toUpperCase().replace(/[\s-]/g, '');
  if (!code) {
    showError('checkin-error', 'checkin.empty');
    $('code').focus();
    return;
  }
  const submit = $('checkin-submit');
  submit.disabled = true;
  submit.textContent = t('checkin.sending');
  try {
    const place = await api.post('/booth/check-in', {code});
    clearTimeout(idleTimer);
    waitingNotice = null;
    showWaiting(place);
  } catch (error) {
    showError('checkin-error', ...checkInProblem(error));
    $('code').focus();
  } finally {
    submit.disabled = false;
    submit.textContent = t('checkin.submit');
  }
}

// The refusal in plain words: the server's status, and for 409 which rule said no.
function checkInProblem(error) {
  const detail = String(error.problem?.detail || error.problem?.title || '').toLowerCase();
  switch (error.status) {
    case 0: return ['error.network'];
    case 400: case 404: case 422: return ['checkin.wrong'];
    case 429: return ['checkin.toomany', {minutes: minutesFrom(error.retryAfterSeconds || 600)}];
    case 409:
      if (detail.includes('early')) return ['checkin.early'];
      if (detail.includes('late')) return ['checkin.late'];
      if (detail.includes('already checked')) return ['checkin.already'];
      if (detail.includes('booth') || detail.includes('waiting')) return ['checkin.busy'];
      return ['checkin.late'];
    case 401: revoked(); return ['revoked'];
    default: return ['error.generic'];
  }
}

// --- walk-in

async function loadServices() {
  try {
    const answer = await api.get('/services?limit=500');
    services = (answer?.services || []).filter((service) => service.walk_in_allowed);
  } catch (error) {
    // A server that does not let booths list services: no walk-ins from this booth.
    if (error.status === 401) revoked();
    services = [];
  }
  if (screen === 'welcome') $('go-walkin').hidden = services.length === 0;
}

function renderServices() {
  const list = $('service-list');
  list.replaceChildren();
  if (services.length === 0) {
    list.append(el('li', {}, t('walkin.none')));
    return;
  }
  for (const service of services) {
    const name = i18n.lang === 'fr' ? service.name_fr : service.name_en;
    list.append(el('li', {}, el('button', {type: 'button', class: 'big', dataset: {service: service.id},
                                           onclick: () => walkIn(service)}, name)));
  }
}

async function walkIn(service) {
  showError('walkin-error');
  try {
    const place = await api.post('/booth/walk-in', {service_id: service.id, language: i18n.lang});
    clearTimeout(idleTimer);
    waitingNotice = null;
    showWaiting(place);
  } catch (error) {
    let key = 'error.generic';
    if (error.status === 0) key = 'error.network';
    else if (error.status === 409) key = /walk/i.test(error.problem?.detail || '') ? 'walkin.refused' : 'checkin.busy';
    else if (error.status === 401) return revoked();
    showError('walkin-error', key);
  }
}

async function leaveQueue() {
  try {
    await api.post('/booth/leave');
  } catch (error) {
    if (error.status === 0) {
      $('waiting-notice').textContent = t('error.network');
      return;
    }
  }
  goWelcome();
}

// --- the call

async function joinCall(id) {
  sessionId = id;
  clearTimeout(idleTimer);
  clearTimeout(endTimer);
  if (screen !== 'call') setScreen('call', {focus: false});
  try {
    const join = await api.post(`/sessions/${id}/join`);
    if (sessionId !== id) return;
    await callView.start(join);
  } catch (error) {
    if (sessionId !== id) return;
    if (error.status === 0 || error.status >= 500) {
      // Not reachable now: try again while the session lasts.
      setTimeout(() => { if (sessionId === id) { sessionId = null; refreshState(); } }, RETRY_MS);
    } else {
      sessionId = null;
      refreshState();
    }
  }
}

function leaveCall() {
  callView.stop();
  sessionId = null;
}

function finishCall() {
  leaveCall();
  setScreen('end');
  let left = END_SCREEN_SECONDS;
  const tick = () => {
    $('end-countdown').textContent = t('end.back', {seconds: left});
    if (left <= 0) {
      goWelcome();
      return;
    }
    left -= 1;
    endTimer = setTimeout(tick, 1000);
  };
  clearTimeout(endTimer);
  tick();
}

callView.addEventListener('ended', (event) => {
  // The join token was refused on a reconnect (it lives two minutes): ask for a new one.
  const id = sessionId;
  if (!id) return;
  sessionId = null;
  if (event.detail === 'unauthorized') joinCall(id);
  else refreshState();
});

// --- live events

// "Connection lost, trying again": while the server cannot be reached.
function setBanner(lost) {
  $('banner').hidden = !lost;
  $('banner').textContent = lost ? t('offline.banner') : '';
}

function startEvents() {
  events = new LiveEvents({token: credential.booth_token});
  const refresh = debounce(refreshState, 150);
  // booth.state and snapshot carry the booth's place; re-reading it keeps one path for all.
  for (const type of ['snapshot', 'booth.state', 'queue.changed', 'session.ready']) {
    events.addEventListener(type, refresh);
  }
  events.addEventListener('session.ended', (event) => {
    const ended = event.detail.session_id || event.detail.object_id;
    if (sessionId && (!ended || ended === sessionId)) {
      // Where the citizen goes next depends on the state: queued again, or done.
      leaveCall();
      setScreen('call', {focus: false});
    }
    refresh();
  });
  events.addEventListener('connection', (event) => {
    setBanner(!event.detail);
    if (event.detail) refresh();
  });
  events.addEventListener('unauthorized', revoked);
  events.start();
}

// --- start

function renderInsecure() {
  $('insecure-body').textContent = t('insecure.body', {address: location.origin});
}

function wire() {
  buildKeypad();
  i18n.apply(document);
  i18n.onChange(() => {
    $('lang-switch').lang = i18n.other;
    renderSite();
    renderWaiting();
    renderServices();
    if (screen === 'end') $('end-countdown').textContent = '';
    if (screen === 'insecure') renderInsecure();
  });
  $('lang-switch').lang = i18n.other;
  $('lang-switch').addEventListener('click', () => i18n.setLang(i18n.other));
  $('go-checkin').addEventListener('click', () => {
    setScreen('checkin', {focus: false});
    $('code').focus();
    startIdleTimer();
  });
  $('go-walkin').addEventListener('click', async () => {
    renderServices();
    setScreen('walkin');
    startIdleTimer();
    await loadServices();
    renderServices();
  });
  $('checkin-back').addEventListener('click', goWelcome);
  $('walkin-back').addEventListener('click', goWelcome);
  $('checkin-form').addEventListener('submit', submitCode);
  $('code').addEventListener('input', () => showError('checkin-error'));
  $('leave-queue').addEventListener('click', leaveQueue);
  $('end-done').addEventListener('click', goWelcome);
  for (const type of ['pointerdown', 'keydown']) {
    document.addEventListener(type, () => {
      if (screen === 'checkin' || screen === 'walkin') startIdleTimer();
    });
  }
  // The physical keyboard types the code even when focus is on the on-screen keypad.
  document.addEventListener('keydown', (event) => {
    if (screen !== 'checkin' || event.target === $('code') || event.ctrlKey || event.altKey ||
        event.metaKey) return;
    const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
    if (key.length === 1 && CODE_ALPHABET.includes(key)) {
      typeChar(key);
      event.preventDefault();
    } else if (key === 'Backspace') {
      deleteChar();
      event.preventDefault();
    }
  });
}

async function main() {
  wire();
  // Browsers give the camera and microphone only to secure pages (HTTPS, or this machine
  // itself): on plain HTTP the citizen would reach an agent who cannot see them. Stop before
  // enrolling, so an enrolment token is not spent (and sent in clear) on the wrong address.
  if (!window.isSecureContext) {
    setScreen('insecure');
    renderInsecure();
    return;
  }
  setScreen('loading', {focus: false});
  credential = loadCredential();
  await enrolFromAddress();
  if (!credential) {
    if (screen !== 'unenrolled') setScreen('unenrolled');
    return;
  }
  api.setToken(credential.booth_token);
  renderSite();
  startEvents();
  await refreshState();
  if (screen === 'loading') goWelcome();
  setInterval(() => {
    if (credential && (screen === 'waiting' || screen === 'call')) refreshState();
  }, STATE_POLL_MS);
}

// For the end-to-end tests: what the call's getStats() proves, and where the booth stands.
window.vgBooth = {
  stats: () => callView.mediaTotals(),
  get screen() { return screen; },
  get sessionId() { return sessionId; },
};

main().catch((error) => {
  console.error('booth failed to start', error);
  setScreen('unenrolled');
  showError('enrol-error', 'error.generic');
});
