// The call with the citizen, and ending it with an outcome and notes. The session this tab is in
// is kept in session storage, to rejoin it after a reload.
import {$} from '../shared/dom.js';

import {agent, api, callView, t} from './context.js';
import {refreshMe} from './presence.js';
import {handleError} from './sign-in.js';

const SESSION_KEY = 'vg.agent.session';
const REJOIN_MS = 3000;

let sessionId = null;

export function currentSession() {
  return sessionId;
}

export async function joinCall(id) {
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
      setTimeout(() => { if (!sessionId && agent.me) joinCall(id); }, REJOIN_MS);
    }
  }
}

// After a reload: back into the call this tab was in, if the agent is still in one.
export function resumeCall() {
  const saved = sessionStorage.getItem(SESSION_KEY);
  if (saved && agent.me.presence?.state === 'in_call') joinCall(saved);
  else if (!sessionId) sessionStorage.removeItem(SESSION_KEY);
}

export function leaveCall() {
  callView.stop();
  sessionId = null;
  sessionStorage.removeItem(SESSION_KEY);
  $('call').hidden = true;
  $('end-notes').value = '';
  $('end-outcome').value = 'served';
  document.body.dataset.call = 'off';
}

// Signed out: no call to come back to.
export function forgetCall() {
  sessionId = null;
  sessionStorage.removeItem(SESSION_KEY);
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

export function wireCall() {
  $('end-form').addEventListener('submit', endCall);
}
