// The console's live events: each says what changed (ids; the REST API has the facts), so the
// console re-reads, and an offer or a call of this agent's shows at once.
import {LiveEvents} from '../shared/events.js';
import {$, debounce} from '../shared/dom.js';

import {currentSession, joinCall, leaveCall} from './call.js';
import {agent, t} from './context.js';
import {fetchOffer, hasOffer, showOffer} from './offers.js';
import {presenceHeard} from './presence.js';
import {refreshAll} from './refresh.js';
import {signedOut} from './sign-in.js';
import {agentPresenceHeard, liveSessionsHeard, renderSupervision, sessionEnded,
        sessionStarted} from './supervision.js';

let events = null;

// No token: the hello stands for the session cookie sent with the upgrade.
export function startEvents() {
  events = new LiveEvents({token: null});
  const refresh = debounce(refreshAll, 200);
  for (const type of ['queue.changed', 'presence.changed', 'session.ready', 'snapshot',
                      'site.hours_changed']) {
    events.addEventListener(type, refresh);
  }
  events.addEventListener('snapshot', (event) => {
    const {agents: presences, sessions} = event.detail;
    if (Array.isArray(presences)) {
      for (const p of presences) agentPresenceHeard(p.agent_id, {state: p.state, since: p.since});
    }
    if (Array.isArray(sessions)) liveSessionsHeard(sessions);
    // A call of mine still going (this console was reloaded or reopened): back into it.
    const mine = (sessions || []).find((session) => session.agent_id === agent.me?.id && !session.ended_at);
    if (mine && !currentSession()) joinCall(mine.session_id);
    else if (event.detail.offer?.queue_entry_id && !hasOffer() && !currentSession()) showOffer(event.detail.offer);
    renderSupervision();
  });
  events.addEventListener('presence.changed', (event) => {
    const {agent_id: agentId, state, since} = event.detail;
    if (!agentId || !state) return;
    agentPresenceHeard(agentId, {state, since});
    if (agentId === agent.me?.id) presenceHeard({state, since});
    renderSupervision();
  });
  events.addEventListener('offer', (event) => {
    if (currentSession()) return;
    if (event.detail.queue_entry_id || event.detail.id) showOffer(event.detail);
    else if (!hasOffer()) fetchOffer();
  });
  events.addEventListener('session.ready', (event) => sessionStarted(event.detail));
  events.addEventListener('session.ended', (event) => {
    const ended = event.detail.session_id || event.detail.object_id;
    // Ended elsewhere (another tab, or the server after a lost connection).
    if (currentSession() && ended === currentSession()) leaveCall();
    sessionEnded(ended);
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

export function stopEvents() {
  events?.stop();
  events = null;
}
