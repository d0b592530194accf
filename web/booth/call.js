// The call with the agent, and the end screen that thanks the citizen before the next one.
import {$} from '../shared/dom.js';

import {RETRY_MS, api, callView, kiosk, setScreen, t} from './context.js';
import {refreshState} from './place.js';
import {goWelcome, stopIdleTimer} from './welcome.js';

const END_SCREEN_SECONDS = 10;

let sessionId = null;  // the call session this page is in
let endTimer = null;

export function currentSession() {
  return sessionId;
}

export async function joinCall(id) {
  sessionId = id;
  stopIdleTimer();
  clearTimeout(endTimer);
  if (kiosk.screen !== 'call') setScreen('call', {focus: false});
  try {
    await callView.joinSession(api, id, () => sessionId === id);
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

export function leaveCall() {
  callView.stop();
  sessionId = null;
}

export function finishCall() {
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

export function stopEndCountdown() {
  clearTimeout(endTimer);
}

callView.addEventListener('ended', (event) => {
  // The join token was refused on a reconnect (it lives two minutes): ask for a new one.
  const id = sessionId;
  if (!id) return;
  sessionId = null;
  if (event.detail === 'unauthorized') joinCall(id);
  else refreshState();
});
