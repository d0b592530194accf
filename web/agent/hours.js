// The opening hours of the agent's sites, their closures to come and the absences of their
// agents (GET /sites/{id}/hours, /closures, /absences), read again when a live event says the
// hours or closures of a site changed.
import {$, el} from '../shared/dom.js';

import {agent, api, i18n, siteName, t} from './context.js';
import {visibleSiteIds} from './queues.js';
import {handleError} from './sign-in.js';

let hours = new Map();  // site id -> {rules, closures, absences}

export async function refreshHours() {
  const next = new Map();
  await Promise.all(visibleSiteIds().map(async (id) => {
    try {
      const [week, closures, absences] = await Promise.all([
        api.get(`/sites/${id}/hours`), api.get(`/sites/${id}/closures`),
        api.get(`/sites/${id}/absences`)]);
      next.set(id, {rules: week.rules, closures: closures.closures,
                    absences: absences.absences});
    } catch (error) {
      if (error.status === 401) handleError(error);
    }
  }));
  hours = next;
  renderHours();
}

// A period in the site's zone: "1 déc. 08:00 – 2 déc. 12:00".
function period(item, timeZone) {
  const format = new Intl.DateTimeFormat(i18n.lang === 'fr' ? 'fr-CA' : 'en-CA', {
    timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'});
  return `${format.format(new Date(item.starts_at))} – ${format.format(new Date(item.ends_at))}`;
}

export function renderHours() {
  const container = $('hours');
  container.replaceChildren();
  for (const [siteId, site] of hours) {
    const timeZone = agent.sites.get(siteId)?.timezone;
    const week = site.rules.length === 0
      ? [el('li', {}, t('hours.always'))]
      : site.rules.map((rule) => el('li', {},
          `${t(`hours.day.${rule.weekday}`)} ${rule.open}–${rule.close}`));
    const closures = site.closures.map((closure) => el('li', {},
      `${period(closure, timeZone)} : ${i18n.lang === 'fr' ? closure.reason_fr : closure.reason_en}`));
    const absences = site.absences.map((absence) => el('li', {},
      `${absence.agent_id === agent.me?.id ? t('hours.you') : t('hours.colleague')} : ` +
      period(absence, timeZone) + (absence.reason ? ` (${absence.reason})` : '')));
    container.append(el('div', {class: 'site-hours'},
      el('h3', {}, siteName(siteId)),
      el('ul', {}, ...week),
      el('h4', {}, t('hours.closures')),
      el('ul', {}, ...(closures.length ? closures : [el('li', {}, t('hours.none'))])),
      el('h4', {}, t('hours.absences')),
      el('ul', {}, ...(absences.length ? absences : [el('li', {}, t('hours.none'))]))));
  }
}
