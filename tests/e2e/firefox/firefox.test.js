// A second real browser: Firefox ESR as the booth with a Chromium agent, and the reverse, each in
// a whole call through the real server (issue 18 item 5): the citizen checks in by code, the agent
// accepts the offer, each side decodes the other's video and hears its audio, both chat over the
// `chat` data channel, the agent ends the call "served" and the booth thanks the citizen.
// Chromium is driven by playwright-core, Firefox by puppeteer-core (WebDriver BiDi); the steps use
// only what both page objects have (goto, waitForSelector, click, type, keyboard, evaluate).
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {bookNow, setUpSite} from '../journey/admin.js';
import {launchJourneyBrowser} from '../journey/browser.js';
import {eventually, watchConsole} from '../journey/pages.js';
import {createDatabase} from '../lib/database.js';
import {startServer} from '../lib/server.js';
import {launchFirefox} from './browser.js';

const artifacts = process.env.VG_E2E_ARTIFACTS || join(import.meta.dirname, '..', 'artifacts');
let database;
let server;
let chromium;
let firefox;
const watched = [];

before(async () => {
  database = createDatabase();
  server = await startServer({databaseUrl: database.url, artifacts, logName: 'firefox-server.log'});
  [chromium, firefox] = await Promise.all([launchJourneyBrowser(), launchFirefox()]);
});

after(async () => {
  for (const page of watched) {
    writeFileSync(join(artifacts, `firefox-${page.name}.log`), `${page.lines.join('\n')}\n`);
  }
  await chromium?.close();
  await firefox?.close();
  await server?.stop();
  database?.drop();
});

async function open(browser, name, path) {
  const page = await browser.newPage();
  watched.push(watchConsole(page, name));
  await page.goto(`${server.baseUrl}${path}`);
  return page;
}

const onScreen = (page, name, timeout = 20000) =>
  page.waitForSelector(`body[data-screen="${name}"]`, {timeout});

// Media through the server: frames decoded and audio received, and still growing a moment later.
async function mediaFlows(page, app) {
  const first = await eventually(async () => {
    const stats = await page.evaluate((name) => window[name]?.stats(), app);
    return stats && stats.videoFramesDecoded > 0 && stats.audioPacketsReceived > 0 && stats;
  }, {timeout: 30000, what: `${app}: decoded video and received audio`});
  return eventually(async () => {
    const stats = await page.evaluate((name) => window[name].stats(), app);
    return stats.videoFramesDecoded >= first.videoFramesDecoded + 30 &&
           stats.audioPacketsReceived >= first.audioPacketsReceived + 50 && stats;
  }, {timeout: 30000, what: `${app}: 30 more frames and 50 more audio packets`});
}

const chatLines = (page, list, kind) => page.evaluate(
    (selector) => [...document.querySelectorAll(selector)].map((item) => item.textContent),
    `#${list} .chat-${kind}`);

// Sends until the sender's log shows the line (the channel may open after the media), then waits
// for it on the other side.
async function chat(from, fromPrefix, to, toPrefix, text) {
  await eventually(async () => {
    await from.evaluate((id) => { document.getElementById(id).value = ''; },
                        `${fromPrefix}-chat-input`);
    await from.type(`#${fromPrefix}-chat-input`, text);
    await from.keyboard.press('Enter');
    return (await chatLines(from, `${fromPrefix}-chat-log`, 'me')).some((line) => line.includes(text));
  }, {timeout: 20000, interval: 1000, what: `${fromPrefix}: chat data channel open`});
  await eventually(async () => (await chatLines(to, `${toPrefix}-chat-log`, 'them'))
                                   .some((line) => line.includes(text)),
                   {timeout: 10000, what: `${toPrefix}: the chat line arrives`});
}

async function wholeCall(boothBrowser, agentBrowser, label) {
  const setup = await setUpSite(server);
  const appointment = await bookNow(setup);

  const booth = await open(boothBrowser, `${label}-booth`,
                           `/booth/#enroll=${encodeURIComponent(setup.booth.enrollment_token)}`);
  await onScreen(booth, 'welcome');
  await booth.click('#go-checkin');
  await onScreen(booth, 'checkin');
  await booth.type('#code', appointment.check_in_code);
  await booth.click('#checkin-submit');
  await onScreen(booth, 'waiting');

  const agent = await open(agentBrowser, `${label}-agent`, '/agent');
  await onScreen(agent, 'login');
  await agent.type('#login-email', setup.agent.email);
  await agent.type('#login-password', setup.agent.password);
  await agent.click('#login-form button[type="submit"]');
  await onScreen(agent, 'console');
  await agent.click('#presence-available');
  await agent.waitForSelector('#offer:not([hidden])', {timeout: 20000});
  await agent.click('#offer-accept');

  await onScreen(booth, 'call');
  await agent.waitForSelector('body[data-call="on"]', {timeout: 20000});
  const [boothMedia, agentMedia] = await Promise.all([mediaFlows(booth, 'vgBooth'),
                                                      mediaFlows(agent, 'vgAgent')]);
  console.log(`# ${label}: booth ${JSON.stringify(boothMedia)}; agent ${JSON.stringify(agentMedia)}`);
  await chat(agent, 'agent', booth, 'booth', 'Bonjour, je m’appelle Julie.');
  await chat(booth, 'booth', agent, 'agent', 'Bonjour, merci !');

  await agent.evaluate(() => {
    const outcome = document.getElementById('end-outcome');
    outcome.value = 'served';
    outcome.dispatchEvent(new Event('change', {bubbles: true}));
  });
  await agent.click('#end-submit');
  await onScreen(booth, 'end');
  const done = await setup.admin('GET', `/appointments/${appointment.id}`);
  assert.equal(done.status, 'completed');
  for (const page of watched.filter((w) => w.name.startsWith(label))) page.assertClean();
}

test('a Firefox booth and a Chromium agent: a whole call with chat', {timeout: 180000},
     () => wholeCall(firefox, chromium, 'firefox-booth'));

test('a Chromium booth and a Firefox agent: a whole call with chat', {timeout: 180000},
     () => wholeCall(chromium, firefox, 'firefox-agent'));
