// The journey of ../shared/PRODUCT.md through the real server and the real web apps, in headless
// Chromium: an administrator sets up through the REST API; the booth page enrols from its URL and
// the citizen checks in by code; the agent signs in, goes available, is offered the citizen and
// accepts; both see and hear each other (getStats) and chat both ways; the agent ends the call
// "served"; the booth is back at welcome, the agent goes through wrap-up to available, the
// appointment is completed and the day's figures count it. Each screen is captured and checked
// with axe-core. Also: a walk-in with offers declined and timed out; reload and dropped agent;
// both pages load every file they name (their icon too) without a failed load.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {bookNow, bookTomorrow, setUpSite, siteDate} from './admin.js';
import {eventually, screen} from './pages.js';
import {availableAgent, chat, enrolledBooth, journeyFixture, mediaFlows, offerShown, onScreen,
        signIn} from './steps.js';

const fixture = journeyFixture('journey');
const openPage = (name, path) => fixture.openPage(name, path);

// Neither page calls the API before someone enrols it or signs in: each load is a file of web/.
test('both apps load every file they name, their icon too', {timeout: 60000}, async () => {
  for (const [name, path] of [['booth-files', '/booth/'], ['agent-files', '/agent']]) {
    const {page, watched} = await openPage(name, path);
    await page.waitForLoadState('networkidle');
    // The browser asks for the page's icon by itself once the page has loaded, in a request
    // Playwright does not report; a second is plenty on loopback (a missing one showed in 0.1 s).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const failed = watched.lines.filter((line) => /Failed to load resource/.test(line));
    assert.deepEqual(failed, [], `${name}: a file the page names did not load`);
    const icon = await page.getAttribute('link[rel="icon"]', 'href');
    const answer = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return {status: response.status, type: response.headers.get('Content-Type')};
    }, icon);
    assert.deepEqual(answer, {status: 200, type: 'image/svg+xml'}, `${name}: its icon ${icon}`);
    watched.assertClean();
    await page.context().close();
  }
});

test('the whole visit: check-in by code, offer, call with chat, served, figures', {timeout: 240000},
     async () => {
  const setup = await setUpSite(fixture.server);
  const appointment = await bookNow(setup);
  assert.match(appointment.check_in_code, /^[2-9A-Z]{6}$/);

  // The booth opens its enrolment URL and shows the welcome screen, in French first.
  const booth = await openPage('booth', `/booth/#enroll=${encodeURIComponent(setup.booth.enrollment_token)}`);
  await onScreen(booth.page, 'welcome');
  assert.equal(await booth.page.getAttribute('html', 'lang'), 'fr');
  assert.equal(new URL(booth.page.url()).hash, '', 'the enrolment token stays out of the address');
  await booth.page.locator('#welcome-site', {hasText: 'Nicolet'}).waitFor();
  await screen(booth.page, 'booth-welcome');
  await booth.page.click('#lang-switch');
  assert.equal(await booth.page.getAttribute('html', 'lang'), 'en');
  await screen(booth.page, 'booth-welcome-en');
  await booth.page.click('#lang-switch');
  assert.equal(await booth.page.textContent('#go-checkin'), 'J’ai un rendez-vous');

  // A wrong code gets a plain answer; then the right one, typed on the on-screen keypad.
  await booth.page.click('#go-checkin');
  await onScreen(booth.page, 'checkin');
  await booth.page.keyboard.type('ZZZ222');
  await booth.page.click('#checkin-submit');
  await booth.page.locator('#checkin-error', {hasText: 'aucun rendez-vous'}).waitFor();
  await screen(booth.page, 'booth-checkin-error');
  await booth.page.fill('#code', '');
  for (const char of appointment.check_in_code) {
    await booth.page.click(`#keypad button:text-is("${char}")`);
  }
  assert.equal(await booth.page.inputValue('#code'), appointment.check_in_code);
  await screen(booth.page, 'booth-checkin');
  await booth.page.click('#checkin-submit');
  await onScreen(booth.page, 'waiting');
  await booth.page.locator('#waiting-position', {hasText: 'numéro 1'}).waitFor();
  await screen(booth.page, 'booth-waiting');

  // The agent signs in, goes available and is offered the citizen.
  const agent = await openPage('agent', '/agent');
  await screen(agent.page, 'agent-login');
  await signIn(agent.page, setup.agent);
  await agent.page.locator('#queues td', {hasText: 'Rendez-vous'}).waitFor();
  await screen(agent.page, 'agent-console');
  await agent.page.click('#presence-available');
  await agent.page.waitForSelector('#offer:not([hidden])', {timeout: 20000});
  await agent.page.locator('#offer-details', {hasText: 'Camille Gagnon'}).waitFor();
  assert.match(await agent.page.textContent('#offer-countdown'), /\d+ seconde/);
  await screen(agent.page, 'agent-offer');
  await agent.page.click('#offer-accept');

  // Both in the call: each decodes the other's video and receives its audio.
  await onScreen(booth.page, 'call', 20000);
  await agent.page.waitForSelector('body[data-call="on"]');
  const [boothMedia, agentMedia] = await Promise.all([mediaFlows(booth.page, 'vgBooth'),
                                                      mediaFlows(agent.page, 'vgAgent')]);
  console.log(`# booth ${JSON.stringify(boothMedia)}; agent ${JSON.stringify(agentMedia)}`);
  // Chat both ways over the `chat` data channel, in large text at the booth.
  await chat(agent.page, 'agent', booth.page, 'booth', 'Bonjour, je m’appelle Julie.');
  await chat(booth.page, 'booth', agent.page, 'agent', 'Bonjour, merci !');
  const chatSize = await booth.page.$eval('#booth-chat-log li',
                                          (item) => parseFloat(getComputedStyle(item).fontSize));
  assert.ok(chatSize >= 24, `the booth's chat text is large (${chatSize}px)`);
  // Only the citizen's own appointment: the booth never shows another citizen's data.
  assert.doesNotMatch(await booth.page.textContent('body'), /Camille|@example/);
  await screen(booth.page, 'booth-call');
  await screen(agent.page, 'agent-call');

  // The agent ends the call "served": the booth thanks the citizen and returns to welcome.
  await agent.page.selectOption('#end-outcome', 'served');
  await agent.page.fill('#end-notes', 'Inscription faite.');
  await agent.page.click('#end-submit');
  await onScreen(booth.page, 'end', 15000);
  await screen(booth.page, 'booth-end');
  await agent.page.waitForSelector('#wrapup:not([hidden])');
  await screen(agent.page, 'agent-wrapup');
  await onScreen(booth.page, 'welcome', 20000);
  assert.equal(await booth.page.inputValue('#code'), '', 'the next citizen sees no code');
  assert.equal(await booth.page.locator('#booth-chat-log li').count(), 0,
               'the next citizen sees nothing of this chat');
  await eventually(() => agent.page.evaluate(() => window.vgAgent.presence === 'available'),
                   {timeout: 60000, what: 'the agent available after wrap-up'});

  // Recorded: the appointment is completed and the day's figures count it.
  const done = await setup.admin('GET', `/appointments/${appointment.id}`);
  assert.equal(done.status, 'completed');
  // Around midnight the appointment (counted on its day) and the call (on the day it started)
  // may fall on two local days.
  const dates = new Set([siteDate(setup.site.timezone, new Date(appointment.starts_at)),
                         siteDate(setup.site.timezone)]);
  const stats = {served: 0, appointments: 0};
  for (const date of dates) {
    const day = await setup.admin('GET', `/stats/daily?site_id=${setup.site.id}&date=${date}`);
    stats.served += day.served;
    stats.appointments += day.appointments;
  }
  assert.equal(stats.served, 1);
  assert.equal(stats.appointments, 1);

  // A supervisor sees the same figures in the console.
  const supervisor = await openPage('supervisor', '/agent');
  await signIn(supervisor.page, setup.supervisor);
  await supervisor.page.waitForSelector('#supervision:not([hidden])');
  await supervisor.page.locator(`#figures-table tr[data-site="${setup.site.id}"] td[data-field="served"]`,
                                {hasText: '1'}).waitFor({timeout: 15000});
  await supervisor.page.waitForSelector('#wait-chart svg');
  await screen(supervisor.page, 'agent-supervisor');

  fixture.assertConsolesClean();
  await Promise.all([booth.page.context().close(), agent.page.context().close(),
                     supervisor.page.context().close()]);
});

test('a walk-in: an offer declined, one left to time out, then taken', {timeout: 180000},
     async () => {
  const setup = await setUpSite(fixture.server);
  const booth = await enrolledBooth(fixture, 'booth2', setup);
  // An appointment of tomorrow is refused in plain words, and nothing is queued.
  const tomorrow = await bookTomorrow(setup);
  await booth.page.click('#go-checkin');
  await booth.page.keyboard.type(tomorrow.check_in_code);
  await booth.page.keyboard.press('Enter');
  await booth.page.locator('#checkin-error', {hasText: 'trop tôt'}).waitFor();
  await screen(booth.page, 'booth-checkin-early');
  await booth.page.click('#checkin-back');
  await onScreen(booth.page, 'welcome');
  await booth.page.click('#go-walkin');
  await onScreen(booth.page, 'walkin');
  await booth.page.click(`#service-list button[data-service="${setup.service.id}"]`);
  await onScreen(booth.page, 'waiting');
  await booth.page.locator('#waiting-position', {hasText: 'numéro 1'}).waitFor();
  await screen(booth.page, 'booth-walkin-waiting');

  const agent = await availableAgent(fixture, 'agent2', setup.agent);
  await offerShown(agent.page);
  await agent.page.locator('#offer-details', {hasText: 'Sans rendez-vous'}).waitFor();
  await agent.page.click('#offer-decline');
  await agent.page.waitForSelector('#offer', {state: 'hidden'});
  // Declined: the citizen is waiting again, still first.
  await booth.page.locator('#waiting-position', {hasText: 'numéro 1'}).waitFor();
  await eventually(() => agent.page.evaluate(() => window.vgAgent.presence === 'available'),
                   {what: 'the agent available after declining'});

  // Taken by hand, then left to time out: it goes back to the queue.
  await agent.page.click('#take-next');
  await offerShown(agent.page);
  await agent.page.locator('#console-message', {hasText: 'expiré'}).waitFor({timeout: 40000});
  assert.equal(await agent.page.isHidden('#offer'), true);
  await booth.page.locator('#waiting-position', {hasText: 'numéro 1'}).waitFor();

  // Re-offered and accepted: the walk-in reaches the call.
  await eventually(() => agent.page.evaluate(() => window.vgAgent.presence === 'available'),
                   {what: 'the agent available after the missed offer'});
  await agent.page.click('#take-next');
  await offerShown(agent.page);
  await agent.page.click('#offer-accept');
  await onScreen(booth.page, 'call', 20000);
  await Promise.all([mediaFlows(booth.page, 'vgBooth'), mediaFlows(agent.page, 'vgAgent')]);
  await agent.page.click('#end-submit');
  await onScreen(booth.page, 'end', 15000);

  const stats = await setup.admin('GET', `/stats/daily?site_id=${setup.site.id}` +
                                         `&date=${siteDate(setup.site.timezone)}`);
  assert.equal(stats.walk_ins, 1);
  assert.equal(stats.served, 1);
  fixture.assertConsolesClean();
  await Promise.all([booth.page.context().close(), agent.page.context().close()]);
});

test('the booth reloads mid-call and rejoins; the agent drops and the citizen is first again',
     {timeout: 240000}, async () => {
  const setup = await setUpSite(fixture.server);
  const appointment = await bookNow(setup, 'Alex Martin');
  const booth = await enrolledBooth(fixture, 'booth3', setup);
  await booth.page.click('#go-checkin');
  await booth.page.keyboard.type(appointment.check_in_code);
  await booth.page.keyboard.press('Enter');
  await onScreen(booth.page, 'waiting');

  const agent = await availableAgent(fixture, 'agent3', setup.agent);
  await offerShown(agent.page);
  await agent.page.click('#offer-accept');
  await onScreen(booth.page, 'call', 20000);
  await Promise.all([mediaFlows(booth.page, 'vgBooth'), mediaFlows(agent.page, 'vgAgent')]);

  // A reload of the kiosk lands back in the same call, media flowing again.
  const before = await booth.page.evaluate(() => window.vgBooth.sessionId);
  await booth.page.reload();
  await onScreen(booth.page, 'call', 20000);
  assert.equal(await booth.page.evaluate(() => window.vgBooth.sessionId), before);
  await Promise.all([mediaFlows(booth.page, 'vgBooth'), mediaFlows(agent.page, 'vgAgent')]);

  // The agent's page goes away: the booth says so, then the citizen is first in the queue again.
  await agent.page.context().close();
  await booth.page.locator('#booth-status', {hasText: 'déconnecté'}).waitFor({timeout: 20000});
  await screen(booth.page, 'booth-agent-lost');
  await onScreen(booth.page, 'waiting', 90000);
  await booth.page.locator('#waiting-notice', {hasText: 'tête de la file'}).waitFor();
  await booth.page.locator('#waiting-position', {hasText: 'numéro 1'}).waitFor();
  await screen(booth.page, 'booth-requeued');
  const queue = await setup.admin('GET', `/sites/${setup.site.id}/queue`);
  assert.equal(queue.entries[0]?.state, 'waiting');
  assert.equal(queue.entries[0]?.position, 1);

  fixture.assertConsolesClean();
  await booth.page.context().close();
});
