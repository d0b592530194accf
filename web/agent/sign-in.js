// Signing in and out. The login token lives only in the HttpOnly session cookie the login answer
// sets: no script can read it, so an injected one cannot carry it away. The REST calls and the
// live events' hello use the cookie; a reload stays signed in while it is valid.
import {$, showScreen} from '../shared/dom.js';

import {forgetCall, resumeCall} from './call.js';
import {agent, api, callView, isSupervisor, setMessage, t} from './context.js';
import {startEvents, stopEvents} from './live.js';
import {clearOffer} from './offers.js';
import {refreshAll} from './refresh.js';

// Set while a sign-in on this browser may still hold a session cookie (see app.js).
const SIGNED_IN_KEY = 'vg.agent.signedIn';

export function wasSignedIn() {
  return localStorage.getItem(SIGNED_IN_KEY) === '1';
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    const answer = await api.post('/auth/login', {email: $('login-email').value.trim(),
                                                  password: $('login-password').value});
    $('login-password').value = '';
    if (!answer.agent) throw new Error('no agent in the login answer');
    await startConsole();
  } catch (error) {
    const key = error.status === 401 ? 'login.wrong'
        : error.status === 429 ? 'login.toomany'
        : error.status === 0 ? 'error.network' : 'error.generic';
    $('login-error').textContent = t(key);
  }
}

async function logout() {
  try {
    await api.post('/auth/logout');
  } catch {
    // Signed out here anyway.
  }
  signedOut();
}

export function signedOut(messageKey = null) {
  localStorage.removeItem(SIGNED_IN_KEY);
  stopEvents();
  callView.stop();
  clearOffer();
  forgetCall();
  api.setToken(null);
  agent.me = null;
  $('presence').hidden = true;
  $('logout').hidden = true;
  $('agent-name').textContent = '';
  document.body.dataset.screen = 'login';
  showScreen('login', {focus: false});
  $('login-error').textContent = messageKey ? t(messageKey) : '';
  $('login-email').focus();
}

// A refused token signs out; anything else is said in the console's message line.
export function handleError(error, fallbackKey = 'error.generic') {
  if (error?.status === 401) {
    signedOut('session.expired');
    return;
  }
  console.warn(error);
  setMessage(error?.status === 0 ? 'error.network' : fallbackKey);
}

// Throws the API's refusal (401 without a valid session cookie).
export async function startConsole() {
  api.setToken(null);
  agent.me = await api.get('/agents/me');
  localStorage.setItem(SIGNED_IN_KEY, '1');
  $('agent-name').textContent = agent.me.display_name;
  $('presence').hidden = false;
  $('logout').hidden = false;
  document.body.dataset.screen = 'console';
  showScreen('console');
  const [siteList, serviceList] = await Promise.all([api.get('/sites?limit=500'),
                                                     api.get('/services?limit=500')]);
  agent.sites = new Map((siteList.sites || []).map((site) => [site.id, site]));
  agent.services = new Map((serviceList.services || []).map((service) => [service.id, service]));
  $('supervision').hidden = !isSupervisor();
  startEvents();
  await refreshAll();
  resumeCall();
}

export function wireSignIn() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
}
