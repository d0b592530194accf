// Walk-in: a citizen without an appointment picks one of the services that take walk-ins.
import {$, el} from '../shared/dom.js';

import {api, i18n, kiosk, setScreen, showError, t} from './context.js';
import {revoked} from './enrolment.js';
import {queued} from './place.js';
import {goWelcome, startIdleTimer, stopIdleTimer} from './welcome.js';

let services = [];  // those that take walk-ins

export function hasWalkIns() {
  return services.length > 0;
}

export async function loadServices() {
  try {
    const answer = await api.get('/services?limit=500');
    services = (answer?.services || []).filter((service) => service.walk_in_allowed);
  } catch (error) {
    // A server that does not let booths list services: no walk-ins from this booth.
    if (error.status === 401) revoked();
    services = [];
  }
  if (kiosk.screen === 'welcome') $('go-walkin').hidden = services.length === 0;
}

export function renderServices() {
  const list = $('service-list');
  list.replaceChildren();
  if (services.length === 0) {
    list.append(el('li', {}, t('walkin.none')));
    return;
  }
  for (const service of services) {
    const name = i18n.lang === 'fr' ? service.name_fr : service.name_en;
    list.append(el('li', {}, el('button', {type: 'button', class: 'big', dataset: {service: service.id},
                                           onclick: () => walkIn(service)}, name)));
  }
}

async function walkIn(service) {
  showError('walkin-error');
  try {
    const place = await api.post('/booth/walk-in', {service_id: service.id, language: i18n.lang});
    stopIdleTimer();
    queued(place);
  } catch (error) {
    let key = 'error.generic';
    if (error.status === 0) key = 'error.network';
    else if (error.status === 409) key = /walk/i.test(error.problem?.detail || '') ? 'walkin.refused' : 'checkin.busy';
    else if (error.status === 401) return revoked();
    showError('walkin-error', key);
  }
}

export function wireWalkIn() {
  $('go-walkin').addEventListener('click', async () => {
    renderServices();
    setScreen('walkin');
    startIdleTimer();
    await loadServices();
    renderServices();
  });
  $('walkin-back').addEventListener('click', goWelcome);
}
