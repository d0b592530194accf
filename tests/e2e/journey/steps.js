// The steps the journey tests share: a server, a database and one browser per test file (each
// person in a browser context of their own), and what people do on the pages.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before} from 'node:test';

import {createDatabase} from '../lib/database.js';
import {startServer} from '../lib/server.js';
import {launchJourneyBrowser} from './browser.js';
import {eventually, watchConsole} from './pages.js';

const artifacts = process.env.VG_E2E_ARTIFACTS || join(import.meta.dirname, '..', 'artifacts');
const MEDIA_TIMEOUT_MS = 30000;

// Registers the file's before/after hooks; answers what the tests use.
export function journeyFixture(logPrefix) {
  let database;
  let server;
  let browser;
  const consoles = [];
  before(async () => {
    database = createDatabase();
    server = await startServer({databaseUrl: database.url, artifacts});
    browser = await launchJourneyBrowser();
  });
  after(async () => {
    for (const watched of consoles) {
      writeFileSync(join(artifacts, `${logPrefix}-${watched.name}.log`), `${watched.lines.join('\n')}\n`);
    }
    await browser?.close();
    await server?.stop();
    database?.drop();
  });
  return {
    get server() { return server; },
    async openPage(name, path) {
      const page = await browser.newPage();
      const watched = watchConsole(page, name);
      consoles.push(watched);
      await page.goto(`${server.baseUrl}${path}`);
      return {page, watched};
    },
    assertConsolesClean() {
      for (const watched of consoles) watched.assertClean();
    },
  };
}

export const onScreen = (page, name, timeout = 15000) =>
  page.waitForSelector(`body[data-screen="${name}"]`, {timeout});

export const offerShown = (page, timeout = 20000) =>
  page.waitForSelector('#offer:not([hidden])', {timeout});

// Each side's getStats(): decoded video frames and received audio packets.
export async function mediaFlows(page, app) {
  return eventually(async () => {
    const stats = await page.evaluate((name) => window[name]?.stats(), app);
    return stats && stats.videoFramesDecoded > 0 && stats.audioPacketsReceived > 0 && stats;
  }, {timeout: MEDIA_TIMEOUT_MS, what: `${app}: decoded video and received audio`});
}

// Sends until the sender's own log shows the message (the data channel may open after the media),
// then waits for it on the other side.
export async function chat(from, prefix, to, toPrefix, text) {
  await eventually(async () => {
    await from.fill(`#${prefix}-chat-input`, text);
    await from.press(`#${prefix}-chat-input`, 'Enter');
    return (await from.locator(`#${prefix}-chat-log .chat-me`, {hasText: text}).count()) > 0;
  }, {timeout: 15000, interval: 1000, what: `${prefix}: chat data channel open`});
  await to.locator(`#${toPrefix}-chat-log .chat-them`, {hasText: text}).waitFor({timeout: 10000});
}

export async function signIn(page, {email, password}) {
  await page.waitForSelector('body[data-screen="login"]');
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type="submit"]');
  await onScreen(page, 'console');
}

export async function enrolledBooth(fixture, name, setup) {
  const token = encodeURIComponent(setup.booth.enrollment_token);
  const booth = await fixture.openPage(name, `/booth/#enroll=${token}`);
  await onScreen(booth.page, 'welcome');
  return booth;
}

export async function availableAgent(fixture, name, account) {
  const agent = await fixture.openPage(name, '/agent');
  await signIn(agent.page, account);
  await agent.page.click('#presence-available');
  return agent;
}
