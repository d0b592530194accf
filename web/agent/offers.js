// Offers: the next citizen for this agent, taken by hand ("take next") or claimed at once when
// an available agent could serve someone waiting; shown with a countdown, accepted or declined.
import {$, el, formatTime, secondsLeft} from '../shared/dom.js';

import {currentSession, joinCall} from './call.js';
import {agent, api, i18n, serviceName, setMessage, siteName, t} from './context.js';
import {citizenWaitingFor, offerFrom} from './offer-rules.js';
import {refreshMe} from './presence.js';
import {queueEntries} from './queues.js';
import {handleError} from './sign-in.js';

const AUTO_CLAIM_PAUSE_MS = 20000;  // after a decline or a missed offer

let offer = null;  // the entry offered to me
let offerTimer = null;
let autoClaimPausedUntil = 0;
let claiming = false;

export function hasOffer() {
  return offer !== null;
}

export function liftAutoClaimPause() {
  autoClaimPausedUntil = 0;
}

// The entry now offered to me: claim-next answers the pending offer of an agent in "offered".
export async function fetchOffer() {
  try {
    const entry = await api.post('/queue/claim-next');
    if (entry) showOffer(entry);
  } catch (error) {
    if (error.status !== 409) handleError(error);
  }
}

async function takeNext({auto = false} = {}) {
  if (claiming || offer || currentSession()) return;
  claiming = true;
  if (!auto) setMessage(null);
  try {
    const entry = await api.post('/queue/claim-next');
    if (entry) showOffer(entry);
    else if (!auto) setMessage('take.none');
    await refreshMe();
  } catch (error) {
    if (error.status === 409) {
      if (!auto) setMessage('take.refused');
    } else {
      handleError(error);
    }
  } finally {
    claiming = false;
  }
}

// An available agent is offered the next citizen as soon as one waits for what they serve.
export function maybeAutoClaim() {
  const me = agent.me;
  if (me?.presence?.state !== 'available' || offer || currentSession()) return;
  if (Date.now() < autoClaimPausedUntil) return;
  if (citizenWaitingFor(me, queueEntries())) takeNext({auto: true});
}

// The presence the server holds: an offer pending but not shown here (a reload) is fetched, one
// no longer pending goes. Not right after an offer ran out here, when it could claim the same
// citizen again.
export function followPresence(state) {
  if (state === 'offered' && !offer && Date.now() >= autoClaimPausedUntil) fetchOffer();
  if (state !== 'offered' && offer) clearOffer();
}

// From claim-next (a queue entry) or from a live "offer" (queue_entry_id, expires_at).
export function showOffer(detail) {
  const entry = offerFrom(detail);
  if (Date.parse(entry.offer_expires_at) <= Date.now()) return;  // already gone
  offer = entry;
  setMessage(null);
  const details = $('offer-details');
  const time = entry.starts_at
      ? formatTime(entry.starts_at, i18n.lang, agent.sites.get(entry.site_id)?.timezone) : '';
  details.replaceChildren(
    el('li', {}, entry.kind === 'appointment' ? t('offer.kind.appointment', {time})
                                              : t('offer.kind.walk_in')),
    entry.citizen?.name ? el('li', {}, t('offer.citizen', {name: entry.citizen.name})) : null,
    el('li', {}, t('offer.service', {service: serviceName(entry.service_id)})),
    el('li', {}, t('offer.site', {site: siteName(entry.site_id)})),
    el('li', {}, t('offer.language', {language: t(`language.${entry.language}`)})),
  );
  $('offer').hidden = false;
  $('offer-alert').textContent = t('offer.title');
  $('offer-accept').focus();
  const expires = Date.parse(entry.offer_expires_at);
  clearTimeout(offerTimer);
  const tick = () => {
    const left = secondsLeft(expires);
    $('offer-countdown').textContent = t('offer.countdown', {seconds: left});
    if (left === 10 || left === 5) $('offer-alert').textContent = t('offer.countdown', {seconds: left});
    if (left <= 0) {
      clearOffer();
      autoClaimPausedUntil = Date.now() + AUTO_CLAIM_PAUSE_MS;
      setMessage('offer.expired');
      refreshMe();
      return;
    }
    offerTimer = setTimeout(tick, 1000);
  };
  if (Number.isFinite(expires)) tick();
  else $('offer-countdown').textContent = '';
}

// Shown again in the new language.
export function renderOffer() {
  if (offer) showOffer(offer);
}

export function clearOffer() {
  clearTimeout(offerTimer);
  offer = null;
  $('offer').hidden = true;
  $('offer-alert').textContent = '';
}

async function acceptOffer() {
  if (!offer) return;
  const entry = offer;
  $('offer-accept').disabled = true;
  try {
    const answer = await api.post(`/queue/${entry.id}/accept`);
    clearOffer();
    joinCall(answer.session_id);
    refreshMe();
  } catch (error) {
    clearOffer();
    if (error.status === 409 || error.status === 403 || error.status === 404) setMessage('offer.gone');
    else handleError(error);
    refreshMe();
  } finally {
    $('offer-accept').disabled = false;
  }
}

async function declineOffer() {
  if (!offer) return;
  const entry = offer;
  clearOffer();
  autoClaimPausedUntil = Date.now() + AUTO_CLAIM_PAUSE_MS;
  try {
    await api.post(`/queue/${entry.id}/decline`);
  } catch (error) {
    if (error.status !== 409) handleError(error);
  }
  refreshMe();
}

export function wireOffers() {
  $('take-next').addEventListener('click', () => takeNext());
  $('offer-accept').addEventListener('click', acceptOffer);
  $('offer-decline').addEventListener('click', declineOffer);
}
