// The booth's place, as GET /booth/state tells it: waiting (with position and estimated wait), in
// a call, or idle. Re-read whenever a live event says something changed, so a reload, a lost
// connection or a dropped agent all land on the right screen.
import {$, minutesFrom} from '../shared/dom.js';

import {currentSession, finishCall, joinCall, leaveCall} from './call.js';
import {api, kiosk, setScreen, t} from './context.js';
import {revoked} from './enrolment.js';
import {eventsConnected, setBanner} from './live.js';
import {goWelcome} from './welcome.js';

let refreshing = null;
let refreshAgain = false;
let lastPlace = null;      // {position, estimated_wait_seconds} while waiting
let waitingNotice = null;

// GET /booth/state and move to the screen it calls for; calls made meanwhile run once after.
export function refreshState() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      try {
        applyState(await api.get('/booth/state'));
        if (eventsConnected()) setBanner(false);
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
  if (!kiosk.credential) return;
  if (state.state === 'in_call' && state.session_id) {
    if (state.session_id !== currentSession()) joinCall(state.session_id);
    return;
  }
  if (state.state === 'waiting') {
    if (kiosk.screen === 'call') {
      // The call stopped but the citizen is queued again: the agent dropped.
      leaveCall();
      waitingNotice = 'waiting.agentlost';
    }
    showWaiting(state);
    return;
  }
  if (state.state === 'idle') {
    if (kiosk.screen === 'call') finishCall();
    else if (kiosk.screen === 'waiting') goWelcome();
  }
}

// Queued by a check-in or a walk-in here: no notice left from an earlier wait.
export function queued(place) {
  waitingNotice = null;
  showWaiting(place);
}

// The next citizen starts with no place.
export function forgetPlace() {
  lastPlace = null;
  waitingNotice = null;
}

function showWaiting(place) {
  lastPlace = place;
  if (kiosk.screen !== 'waiting') setScreen('waiting');
  renderWaiting();
}

export function renderWaiting() {
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

export async function leaveQueue() {
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
