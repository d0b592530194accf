// The agent's presence (available, away, offline; offered, in a call and wrap-up follow the
// calls) and the wrap-up panel with its countdown after a call.
import {$, secondsLeft} from '../shared/dom.js';

import {currentSession} from './call.js';
import {agent, api, setMessage, stateName, t} from './context.js';
import {clearOffer, followPresence, hasOffer, liftAutoClaimPause, maybeAutoClaim} from './offers.js';
import {handleError} from './sign-in.js';

const WRAP_UP_SECONDS = 30;  // the server's default (ApiOptions::wrap_up)

let wrapUpTimer = null;

async function setPresence(state) {
  setMessage(null);
  try {
    agent.me.presence = await api.put('/agents/me/presence', {state});
    if (hasOffer() && agent.me.presence.state !== 'offered') clearOffer();
    if (state !== 'available') liftAutoClaimPause();
    renderPresence();
    if (state === 'available') maybeAutoClaim();
  } catch (error) {
    handleError(error, 'presence.refused');
  }
}

export function renderPresence() {
  const state = agent.me?.presence?.state || 'offline';
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
  const state = agent.me?.presence?.state;
  clearTimeout(wrapUpTimer);
  const panel = $('wrapup');
  if (state !== 'wrap_up' || currentSession()) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const since = Date.parse(agent.me.presence.since) || Date.now();
  const tick = () => {
    const left = secondsLeft(since + WRAP_UP_SECONDS * 1000);
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

export async function refreshMe() {
  try {
    agent.me = {...agent.me, ...(await api.get('/agents/me'))};
    renderPresence();
    followPresence(agent.me.presence?.state);
  } catch (error) {
    handleError(error);
  }
}

// Presence as the live events tell it, for this agent.
export function presenceHeard(presence) {
  agent.me.presence = presence;
  renderPresence();
}

export function wirePresence() {
  for (const button of document.querySelectorAll('#presence button')) {
    button.addEventListener('click', () => setPresence(button.dataset.state));
  }
  $('wrapup-ready').addEventListener('click', () => setPresence('available'));
}
