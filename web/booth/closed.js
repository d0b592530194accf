// The closed screen: while the booth's site is closed (outside its hours, a holiday, a closure)
// the booth says when it opens, "Fermé — ouvert lundi à 8 h 30", and offers no check-in or
// walk-in (the server refuses them too, 409 with opens_at). GET /sites/{id}/opening says where
// the site stands; it is read again when it opens or closes, and when a live event says the
// hours or closures changed.
import {$} from '../shared/dom.js';

import {api, i18n, kiosk, setScreen, t} from './context.js';
import {goWelcome} from './welcome.js';

const DAY_MS = 24 * 3600 * 1000;
const MAX_WAIT_MS = 6 * 3600 * 1000;  // read again at least this often (a long closure, drift)
// Screens a citizen is not using yet: the only ones the closed screen replaces.
const IDLE_SCREENS = new Set(['welcome', 'checkin', 'walkin', 'closed']);

let opening = null;  // {open, opens_at, closes_at, reason_fr, reason_en}
let timer = null;

export function siteClosed() {
  return Boolean(opening && !opening.open);
}

export async function refreshOpening() {
  const siteId = kiosk.credential?.booth?.site_id;
  if (!siteId) return;
  try {
    opening = await api.get(`/sites/${siteId}/opening`);
  } catch (error) {
    console.warn('site opening', error);
    return;
  }
  clearTimeout(timer);
  const next = opening.open ? opening.closes_at : opening.opens_at;
  const wait = next ? Math.max(Date.parse(next) - Date.now(), 0) + 1000 : MAX_WAIT_MS;
  timer = setTimeout(refreshOpening, Math.min(wait, MAX_WAIT_MS));
  if (!IDLE_SCREENS.has(kiosk.screen)) return;  // a citizen waiting or in a call goes on
  if (siteClosed()) showClosed();
  else if (kiosk.screen === 'closed') goWelcome();
}

export function showClosed() {
  renderClosed();
  if (kiosk.screen !== 'closed') setScreen('closed');
}

export function renderClosed() {
  if (!opening || opening.open) return;
  $('closed-title').textContent = opening.opens_at
    ? t('closed.opens', {when: whenText(opening.opens_at)})
    : t('closed.title');
  const reason = i18n.lang === 'fr' ? opening.reason_fr : opening.reason_en;
  $('closed-reason').textContent = reason || '';
}

// "lundi à 8 h 30" / "Monday at 8:30 a.m.", in the site's time zone; today and tomorrow by name,
// beyond a week with the date.
function whenText(iso) {
  const timeZone = kiosk.credential?.booth?.site?.timezone;
  const at = new Date(iso);
  const locale = i18n.lang === 'fr' ? 'fr-CA' : 'en-CA';
  const format = (options) => new Intl.DateTimeFormat(locale, {timeZone, ...options}).format(at);
  const localDay = (date) => Date.parse(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit'}).format(date));
  const days = Math.round((localDay(at) - localDay(new Date())) / DAY_MS);
  let day = format({weekday: 'long'});
  if (days === 0) day = t('closed.today');
  else if (days === 1) day = t('closed.tomorrow');
  else if (days >= 7) day = format({weekday: 'long', day: 'numeric', month: 'long'});
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, hour: 'numeric', minute: '2-digit', hourCycle: 'h23'}).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour').value);
  const minute = parts.find((p) => p.type === 'minute').value;
  // Québec French writes 8 h 30, and 8 h on the hour.
  const time = i18n.lang === 'fr'
    ? (minute === '00' ? `${hour} h` : `${hour} h ${minute}`)
    : format({hour: 'numeric', minute: '2-digit'});
  return t('closed.when', {day, time});
}
