// The citizen's own page: {public_url}/visit/#<token>. The token (in the fragment, so it reaches
// no server log) names one appointment; the page shows it in the citizen's language and lets them
// move it to a free slot of the same service and site, or cancel it with a reason.
import {createApi} from '/shared/api.js';
import {$, el, localDate, showScreen} from '/shared/dom.js';
import {createI18n} from '/shared/i18n.js';
import {STRINGS} from '/visit/i18n.js';

const token = decodeURIComponent(location.hash.replace(/^#/, ''));
const api = createApi({token});
// The citizen's own language (from the booking) unless they switch; nothing is kept in the
// browser, which may be a shared one.
const i18n = createI18n(STRINGS);
let switched = false;
let visit = null;  // the last answer of GET /visit, with its etag
let chosen = null;  // the slot picked in the move form

const locale = () => (i18n.lang === 'fr' ? 'fr-CA' : 'en-CA');
const say = (text) => { $('status').textContent = text; };

function dateWords(iso) {
  return new Intl.DateTimeFormat(locale(), {weekday: 'long', year: 'numeric', month: 'long',
                                            day: 'numeric', timeZone: visit.site.timezone})
      .format(new Date(iso));
}

function timeWords(iso) {
  return new Intl.DateTimeFormat(locale(), {hour: 'numeric', minute: '2-digit',
                                            timeZone: visit.site.timezone})
      .format(new Date(iso));
}

function render() {
  if (!visit) return;
  const {appointment, site, service} = visit;
  const name = (thing) => (i18n.lang === 'fr' ? thing.name_fr : thing.name_en);
  const booked = appointment.status === 'booked';
  $('visit-title').textContent = booked ? i18n.t('visit.booked')
      : appointment.status === 'cancelled' ? i18n.t('visit.cancelled')
      : i18n.t('visit.other', {status: appointment.status});
  $('fact-service').textContent = name(service);
  $('fact-date').textContent = dateWords(appointment.starts_at);
  $('fact-time').textContent = timeWords(appointment.starts_at);
  $('fact-place').textContent = site.address ? `${name(site)}, ${site.address}` : name(site);
  $('fact-code').textContent = appointment.check_in_code || '';
  $('fact-code').hidden = $('fact-code-term').hidden = !booked;
  $('cancelled-note').hidden = !appointment.cancel_reason;
  $('cancelled-note').textContent = i18n.t('cancelled.note', {reason: appointment.cancel_reason});
  $('actions').hidden = !booked;
}

function failed(error) {
  if (error.status === 401) {
    showScreen('invalid');
  } else if (error.status === 429) {
    say(i18n.t('error.busy'));
  } else if (error.status === 0) {
    say(i18n.t('error.network'));
  } else {
    say(error.message);
  }
}

async function load() {
  visit = await api.get('/visit');
  if (!switched) i18n.setLang(visit.appointment.language);
  render();
}

async function searchSlots(event) {
  event.preventDefault();
  chosen = null;
  $('move-confirm').hidden = true;
  const date = $('move-date').value;
  if (!date) return;
  try {
    const {slots} = await api.get(`/visit/slots?date=${encodeURIComponent(date)}`);
    const list = $('slots');
    list.replaceChildren(...slots.map((slot, i) => {
      const input = el('input', {type: 'radio', name: 'slot', id: `slot-${i}`,
                                 value: slot.starts_at,
                                 onchange: () => { chosen = slot.starts_at; $('move-confirm').hidden = false; }});
      return el('label', {for: `slot-${i}`}, input, timeWords(slot.starts_at));
    }));
    $('slot-list').hidden = slots.length === 0;
    $('no-slot').hidden = slots.length !== 0;
  } catch (error) {
    failed(error);
  }
}

async function move() {
  if (!chosen) return;
  try {
    visit = await api.patch('/visit', {starts_at: chosen}, {ifMatch: visit.etag});
    render();
    $('slot-list').hidden = true;
    $('move-confirm').hidden = true;
    say(i18n.t('move.done', {date: dateWords(chosen), time: timeWords(chosen)}));
  } catch (error) {
    if (error.status === 409) {
      say(i18n.t('move.taken'));
    } else if (error.status === 412) {
      await load();
      say(i18n.t('error.changed'));
    } else {
      failed(error);
    }
  }
}

async function cancel(event) {
  event.preventDefault();
  const reason = $('cancel-reason').value.trim();
  $('cancel-error').textContent = reason ? '' : i18n.t('cancel.missing');
  $('cancel-reason').setAttribute('aria-invalid', String(!reason));
  if (!reason) {
    $('cancel-reason').focus();
    return;
  }
  try {
    visit = await api.post('/visit/cancel', {reason}, {ifMatch: visit.etag});
    render();
    say(i18n.t('cancel.done'));
    $('visit-title').focus();
  } catch (error) {
    if (error.status === 412 || error.status === 409) {
      await load();
      say(i18n.t('error.changed'));
    } else {
      failed(error);
    }
  }
}

async function start() {
  i18n.apply(document);
  $('lang-switch').addEventListener('click', () => {
    switched = true;
    i18n.setLang(i18n.other);
  });
  i18n.onChange(render);
  $('move-form').addEventListener('submit', searchSlots);
  $('move-confirm').addEventListener('click', move);
  $('cancel-form').addEventListener('submit', cancel);
  if (!/^[A-Za-z0-9_-]{48}$/.test(token)) {
    showScreen('invalid');
    return;
  }
  try {
    await load();
    $('move-date').min = localDate(visit.site.timezone);
    $('move-date').value = localDate(visit.site.timezone, new Date(visit.appointment.starts_at));
    showScreen('visit');
  } catch (error) {
    showScreen(error.status === 401 ? 'invalid' : 'loading');
    if (error.status !== 401) failed(error);
  }
}

start();
