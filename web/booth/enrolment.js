// Enrolment: the booth takes its credential once from its enrolment URL (/booth/#enroll=TOKEN)
// and keeps it; when the server refuses it (revoked), the booth is "not ready" again.
import {leaveCall} from './call.js';
import {RETRY_MS, api, kiosk, setScreen, showError} from './context.js';
import {stopEvents} from './live.js';

const STORAGE_KEY = 'vg.booth.credential';

export function loadCredential() {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY));
    return value?.booth_token ? value : null;
  } catch {
    return null;
  }
}

export async function enrolFromAddress() {
  const token = new URLSearchParams(location.hash.slice(1)).get('enroll');
  if (!token) return;
  // The token is single-use: take it out of the address so a reload does not resend it.
  history.replaceState(null, '', location.pathname + location.search);
  for (;;) {
    try {
      const answer = await api.post('/booth/enroll', {enrollment_token: token});
      kiosk.credential = {booth_token: answer.booth_token, booth: answer.booth};
      localStorage.setItem(STORAGE_KEY, JSON.stringify(kiosk.credential));
      return;
    } catch (error) {
      if (error.status !== 0) {
        // A used link on a booth that already holds a credential is a reopened kiosk: go on.
        if (!kiosk.credential) {
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

export function revoked() {
  localStorage.removeItem(STORAGE_KEY);
  kiosk.credential = null;
  stopEvents();
  leaveCall();
  setScreen('unenrolled');
  showError('enrol-error', 'revoked');
}
