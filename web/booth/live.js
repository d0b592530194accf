// The booth's live events: each says something changed, and the booth re-reads its place.
import {LiveEvents} from '../shared/events.js';
import {$, debounce} from '../shared/dom.js';

import {currentSession, leaveCall} from './call.js';
import {refreshOpening} from './closed.js';
import {kiosk, setScreen, t} from './context.js';
import {revoked} from './enrolment.js';
import {refreshState} from './place.js';

let events = null;

export function eventsConnected() {
  return Boolean(events?.connected);
}

// "Connection lost, trying again": while the server cannot be reached.
export function setBanner(lost) {
  $('banner').hidden = !lost;
  $('banner').textContent = lost ? t('offline.banner') : '';
}

export function startEvents() {
  events = new LiveEvents({token: kiosk.credential.booth_token});
  const refresh = debounce(refreshState, 150);
  // booth.state and snapshot carry the booth's place; re-reading it keeps one path for all.
  for (const type of ['snapshot', 'booth.state', 'queue.changed', 'session.ready']) {
    events.addEventListener(type, refresh);
  }
  events.addEventListener('session.ended', (event) => {
    const ended = event.detail.session_id || event.detail.object_id;
    const sessionId = currentSession();
    if (sessionId && (!ended || ended === sessionId)) {
      // Where the citizen goes next depends on the state: queued again, or done.
      leaveCall();
      setScreen('call', {focus: false});
    }
    refresh();
  });
  // Hours or closures of the site changed: it may have opened or closed.
  events.addEventListener('site.hours_changed', refreshOpening);
  events.addEventListener('connection', (event) => {
    setBanner(!event.detail);
    if (event.detail) {
      refresh();
      refreshOpening();
    }
  });
  events.addEventListener('unauthorized', revoked);
  events.start();
}

export function stopEvents() {
  events?.stop();
  events = null;
}
