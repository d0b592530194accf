// The welcome screen, where each citizen starts (in French), and the idle timer that brings a
// check-in or walk-in left half done back to it.
import {$} from '../shared/dom.js';

import {stopEndCountdown} from './call.js';
import {showClosed, siteClosed} from './closed.js';
import {i18n, kiosk, setScreen, showError, t} from './context.js';
import {forgetPlace} from './place.js';
import {hasWalkIns, loadServices} from './walk-in.js';

const IDLE_SECONDS = 90;

let idleTimer = null;

export function goWelcome() {
  stopEndCountdown();
  stopIdleTimer();
  forgetPlace();
  $('code').value = '';
  for (const id of ['checkin-error', 'walkin-error', 'waiting-notice']) showError(id);
  i18n.setLang('fr');  // each citizen starts in French
  renderSite();
  if (siteClosed()) {
    showClosed();
    return;
  }
  $('go-walkin').hidden = !hasWalkIns();
  setScreen('welcome');
  loadServices();
}

export function renderSite() {
  const site = kiosk.credential?.booth?.site;
  const name = site ? (i18n.lang === 'fr' ? site.name_fr : site.name_en) : '';
  $('site-name').textContent = name || '';
  $('welcome-site').textContent = name ? t('welcome.site', {site: name}) : '';
}

const choosing = () => kiosk.screen === 'checkin' || kiosk.screen === 'walkin';

export function startIdleTimer() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (choosing()) goWelcome();
  }, IDLE_SECONDS * 1000);
}

export function stopIdleTimer() {
  clearTimeout(idleTimer);
}

// Any touch or key while choosing gives the citizen the full idle time again.
export function watchIdle() {
  for (const type of ['pointerdown', 'keydown']) {
    document.addEventListener(type, () => {
      if (choosing()) startIdleTimer();
    });
  }
}
