// The booth kiosk: enrols once from its enrolment URL (/booth/#enroll=TOKEN), then loops through
// welcome -> check-in by code (or walk-in) -> waiting -> call -> end -> welcome, or the closed
// screen (closed.js) while its site is closed. What the booth shows is driven by GET /booth/state
// (place.js), re-read whenever a live event (live.js) says something changed.
//
// Modules: context.js (what all share), enrolment.js, welcome.js, check-in.js (check-in-rules.js:
// the code and refusals, no DOM), walk-in.js, place.js (waiting), call.js, live.js, closed.js.
// They call one another's functions, so some import each other: only function declarations cross
// those cycles, which ES modules bind before any module runs.
import {$} from '../shared/dom.js';

import {currentSession} from './call.js';
import {buildKeypad, wireCheckIn} from './check-in.js';
import {refreshOpening, renderClosed} from './closed.js';
import {api, callView, i18n, kiosk, setScreen, showError, t} from './context.js';
import {enrolFromAddress, loadCredential} from './enrolment.js';
import {startEvents} from './live.js';
import {leaveQueue, refreshState, renderWaiting} from './place.js';
import {renderServices, wireWalkIn} from './walk-in.js';
import {goWelcome, renderSite, watchIdle} from './welcome.js';

const STATE_POLL_MS = 15000;  // safety net besides live events

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
    renderClosed();
    if (kiosk.screen === 'end') $('end-countdown').textContent = '';
    if (kiosk.screen === 'insecure') renderInsecure();
  });
  $('lang-switch').lang = i18n.other;
  $('lang-switch').addEventListener('click', () => i18n.setLang(i18n.other));
  watchIdle();
  wireCheckIn();
  wireWalkIn();
  $('leave-queue').addEventListener('click', leaveQueue);
  $('end-done').addEventListener('click', goWelcome);
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
  kiosk.credential = loadCredential();
  await enrolFromAddress();
  if (!kiosk.credential) {
    if (kiosk.screen !== 'unenrolled') setScreen('unenrolled');
    return;
  }
  api.setToken(kiosk.credential.booth_token);
  renderSite();
  startEvents();
  await refreshOpening();
  await refreshState();
  if (kiosk.screen === 'loading') goWelcome();
  setInterval(() => {
    if (kiosk.credential && (kiosk.screen === 'waiting' || kiosk.screen === 'call')) refreshState();
  }, STATE_POLL_MS);
}

// For the end-to-end tests: what the call's getStats() proves, and where the booth stands.
window.vgBooth = {
  stats: () => callView.mediaTotals(),
  get screen() { return kiosk.screen; },
  get sessionId() { return currentSession(); },
};

main().catch((error) => {
  console.error('booth failed to start', error);
  setScreen('unenrolled');
  showError('enrol-error', 'error.generic');
});
