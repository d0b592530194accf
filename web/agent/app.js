// The agent console: sign in, presence, the queues of my sites and today's appointments, an offer
// with its countdown, the call, ending it with an outcome, wrap-up; for supervisors also every
// agent's state, the live calls and today's figures. What is shown is re-read from the REST API
// whenever a live event says something changed (events carry ids, the API the facts).
//
// Modules: context.js (what all share), sign-in.js, presence.js (and wrap-up), offers.js
// (offer-rules.js: no DOM), call.js, queues.js, appointments.js, hours.js, supervision.js
// (chart.js), live.js (live events), refresh.js (everything read again). They call one another's
// functions, so some import each other: only function declarations cross those cycles, which ES
// modules bind before any module runs.
import {$} from '../shared/dom.js';

import {renderAppointments} from './appointments.js';
import {currentSession, wireCall} from './call.js';
import {renderHours} from './hours.js';
import {agent, callView, i18n} from './context.js';
import {renderOffer, wireOffers} from './offers.js';
import {renderPresence, wirePresence} from './presence.js';
import {renderQueues} from './queues.js';
import {pollWhileSignedIn} from './refresh.js';
import {signedOut, startConsole, wasSignedIn, wireSignIn} from './sign-in.js';
import {renderSupervision} from './supervision.js';

function wire() {
  i18n.apply(document);
  $('lang-switch').lang = i18n.other;
  i18n.onChange(() => {
    $('lang-switch').lang = i18n.other;
    if (!agent.me) return;
    renderPresence();
    renderQueues();
    renderAppointments();
    renderHours();
    renderSupervision();
    renderOffer();
  });
  $('lang-switch').addEventListener('click', () => i18n.setLang(i18n.other));
  wireSignIn();
  wirePresence();
  wireOffers();
  wireCall();
}

async function main() {
  wire();
  pollWhileSignedIn();
  // Signed in when the session cookie still is (a reload, another tab). The cookie is HttpOnly,
  // so a mark in this browser's storage says whether there may be one: a page nobody signed in
  // on asks the API nothing.
  if (!wasSignedIn()) {
    signedOut();
    return;
  }
  try {
    await startConsole();
  } catch (error) {
    signedOut(error.status === 401 ? 'session.expired'
              : error.status === 0 ? 'error.network' : null);
  }
}

// For the end-to-end tests.
window.vgAgent = {
  stats: () => callView.mediaTotals(),
  get sessionId() { return currentSession(); },
  get presence() { return agent.me?.presence?.state ?? null; },
};

main().catch((error) => console.error('agent console failed to start', error));
