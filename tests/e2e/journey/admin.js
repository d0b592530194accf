// What an administrator does through the REST API before citizens come (CONTRACT.md): a site, a
// booth and its enrolment URL, a service, an agent with availability, an appointment now.
import {randomUUID} from 'node:crypto';

export function restClient(baseUrl, token) {
  return async (method, path, body, expected = [200, 201, 204]) => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) {
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    }
    return text ? JSON.parse(text) : null;
  };
}

export function siteDate(timeZone, when = new Date()) {
  return new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit',
                                           day: '2-digit'}).format(when);
}

export async function setUpSite(server, {timezone = 'America/Toronto'} = {}) {
  const admin = restClient(server.baseUrl, server.adminKey);
  const tag = randomUUID().slice(0, 8);
  const site = await admin('POST', '/sites', {
    code: `nicolet-${tag}`, name_fr: 'Bureau municipal de Nicolet',
    name_en: 'Nicolet municipal office', timezone,
  });
  const booth = await admin('POST', `/sites/${site.id}/booths`, {label: 'Borne 1'});
  const service = await admin('POST', '/services', {
    code: `emploi-${tag}`, name_fr: 'Aide à l’emploi', name_en: 'Employment help',
    duration_minutes: 15, walk_in_allowed: true,
  });
  const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday, start: '00:00', end: '23:59', site_id: site.id,
  }));
  const makeAgent = async (name, roles) => {
    const password = `pw-${randomUUID()}`;
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}-${tag}@example.org`;
    const agent = await admin('POST', '/agents', {
      email, display_name: name, password, roles, site_ids: [site.id],
      service_ids: [service.id], languages: ['fr', 'en'],
    });
    await admin('PUT', `/agents/${agent.id}/availability`, {rules: everyDay});
    return {...agent, email, password};
  };
  const agent = await makeAgent('Julie Tremblay', ['agent']);
  const supervisor = await makeAgent('Marc Bélanger', ['agent', 'supervisor']);
  return {admin, site, booth, service, agent, supervisor};
}

// An appointment in the next free slot of today (site time), inside the check-in window.
export async function bookNow({admin, site, service}, citizenName = 'Camille Gagnon') {
  for (const offsetDays of [0, 1]) {
    const date = siteDate(site.timezone, new Date(Date.now() + offsetDays * 86400000));
    const {slots} = await admin('GET', `/sites/${site.id}/slots?service_id=${service.id}&date=${date}`);
    const slot = slots.find((s) => s.available &&
                                   Date.parse(s.starts_at) - Date.now() < 29 * 60000);
    if (slot) {
      return admin('POST', '/appointments', {
        site_id: site.id, service_id: service.id, starts_at: slot.starts_at,
        citizen: {name: citizenName, language: 'fr'},
      });
    }
  }
  throw new Error('no slot starts within the check-in window (the next 29 minutes)');
}

// An appointment tomorrow: too early to check in today.
export async function bookTomorrow({admin, site, service}, citizenName = 'Dominique Roy') {
  const date = siteDate(site.timezone, new Date(Date.now() + 86400000));
  const {slots} = await admin('GET', `/sites/${site.id}/slots?service_id=${service.id}&date=${date}`);
  const slot = slots.find((s) => s.available && Date.parse(s.starts_at) - Date.now() > 3600000);
  if (!slot) throw new Error(`no free slot on ${date}`);
  return admin('POST', '/appointments', {
    site_id: site.id, service_id: service.id, starts_at: slot.starts_at,
    citizen: {name: citizenName, language: 'fr'},
  });
}
