// The booth while its site is closed, in headless Chromium against the real server: a closure
// that covers now turns the welcome screen into "Fermé — ouvert <jour> à 8 h 30" with the
// closure's reason, offers neither check-in nor walk-in, follows the language switch, and goes
// back to the welcome screen when the closure is deleted (the site.hours_changed live event).
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {setUpSite} from '../journey/admin.js';
import {eventually, watchConsole} from '../journey/pages.js';
import {launchBrowser} from '../lib/browser.js';
import {createDatabase} from '../lib/database.js';
import {startServer} from '../lib/server.js';

const DAY_MS = 24 * 3600 * 1000;
const STORAGE_KEY = 'vg.booth.credential';  // web/booth/enrolment.js

let database, server, setup, browser;

before(async () => {
  database = createDatabase();
  server = await startServer({databaseUrl: database.url, artifacts: process.env.VG_E2E_ARTIFACTS});
  // UTC: the expected local time is the UTC one, with no time zone arithmetic in the test.
  setup = await setUpSite(server, {timezone: 'UTC'});
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  database?.drop();
});

test('a closed site shows when it opens and comes back when the closure is deleted',
     {timeout: 60000}, async () => {
  const {admin, site, booth} = setup;
  // From a minute ago to 08:30 three days from now: the booth names that weekday.
  const reopens = new Date(Date.now() + 3 * DAY_MS);
  reopens.setUTCHours(8, 30, 0, 0);
  const closure = await admin('POST', `/sites/${site.id}/closures`, {
    starts_at: new Date(Date.now() - 60000).toISOString(), ends_at: reopens.toISOString(),
    reason_fr: 'Tempête de neige', reason_en: 'Snowstorm',
  });
  const weekday = (locale) =>
    new Intl.DateTimeFormat(locale, {weekday: 'long', timeZone: 'UTC'}).format(reopens);

  const page = await browser.newPage();
  const errors = watchConsole(page, 'booth-closed');
  await page.goto(`${server.baseUrl}/booth/#enroll=${encodeURIComponent(booth.enrollment_token)}`);
  await eventually(async () => (await page.evaluate(() => window.vgBooth.screen)) === 'closed',
                   {what: 'the closed screen'});
  assert.equal(await page.textContent('#closed-title'),
               `Fermé — ouvert ${weekday('fr-CA')} à 8 h 30`);
  assert.equal(await page.textContent('#closed-reason'), 'Tempête de neige');
  assert.equal(await page.isVisible('#go-checkin'), false);
  assert.equal(await page.isVisible('#go-walkin'), false);

  await page.click('#lang-switch');
  const english = await page.textContent('#closed-title');
  assert.ok(english.startsWith(`Closed — opens ${weekday('en-CA')} at 8:30`), english);
  assert.equal(await page.textContent('#closed-reason'), 'Snowstorm');

  // The server refuses a walk-in too, with the same opening (the booth's own credential).
  const boothToken = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key)).booth_token, STORAGE_KEY);
  const refused = await fetch(`${server.baseUrl}/api/v1/booth/walk-in`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: `Bearer ${boothToken}`},
    body: JSON.stringify({service_id: setup.service.id, language: 'fr'}),
  });
  assert.equal(refused.status, 409);
  assert.equal((await refused.json()).opens_at, reopens.toISOString().replace('.000Z', 'Z'));

  await admin('DELETE', `/closures/${closure.id}`);
  await eventually(async () => (await page.evaluate(() => window.vgBooth.screen)) === 'welcome',
                   {what: 'the welcome screen after the closure is deleted', timeout: 10000});
  assert.equal(await page.isVisible('#go-checkin'), true);
  errors.assertClean();
});
