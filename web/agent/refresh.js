// Everything the console shows, read again at once: on start, when live events say something
// changed, and every 15 seconds as a safety net.
import {refreshAppointments} from './appointments.js';
import {agent, isSupervisor} from './context.js';
import {refreshHours} from './hours.js';
import {maybeAutoClaim} from './offers.js';
import {refreshMe} from './presence.js';
import {refreshQueues} from './queues.js';
import {refreshSupervision} from './supervision.js';

const POLL_MS = 15000;

export async function refreshAll() {
  if (!agent.me) return;
  await Promise.all([refreshMe(), refreshQueues(), refreshAppointments(),
                     refreshHours(), isSupervisor() ? refreshSupervision() : null]);
  maybeAutoClaim();
}

export function pollWhileSignedIn() {
  setInterval(() => { if (agent.me) refreshAll(); }, POLL_MS);
}
