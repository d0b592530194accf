// Two headless Chromium pages, a booth and an agent, in one call session through the real server:
// both must decode the other's video and receive its audio (getStats), and the time from join to
// the first decoded frame is recorded (artifacts/call-timing.json).
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';

import {launchBrowser} from './lib/browser.js';
import processes from '../integration/rtc/processes.cjs';
import {createCallSessionThroughApi, holdAgentConsole} from './lib/callSession.js';
import {createDatabase} from './lib/database.js';
import {startServer} from './lib/server.js';

const artifacts = process.env.VG_E2E_ARTIFACTS || join(import.meta.dirname ?? '.', 'artifacts');
const MEDIA_TIMEOUT_MS = 30000;
// About one second of media each way (30 fps video, 50 audio packets a second): a flow that stops
// after its first packets does not pass.
const MIN_FRAMES_DECODED = 25;
const MIN_AUDIO_PACKETS = 40;

let database;
let server;
let browser;

before(async () => {
  database = createDatabase();
  server = await startServer({databaseUrl: database.url, artifacts});
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const exit = await server?.stop();
  if (exit) console.log(`server exit: ${JSON.stringify(exit)}`);
  database?.drop();
});

async function openCallPage(side, join, on = browser) {
  const page = await on.newPage();
  const lines = [];
  page.on('console', (message) => lines.push(`[console] ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error}`));
  const params = new URLSearchParams({
    signaling_url: join.signaling_url,
    join_token: join.join_token,
    ice_servers: JSON.stringify(join.ice_servers || []),
  });
  await page.goto(`${server.baseUrl}/dev/call.html?${params}`);
  return {side, page, lines};
}

async function stats(call) {
  return call.page.evaluate(() => (window.vgStats ? window.vgStats() : null));
}

async function saveLogs(calls) {
  for (const call of calls) {
    const pageLog = await call.page.locator('#log').textContent().catch(() => '');
    writeFileSync(join(artifacts, `${call.side}.log`), `${call.lines.join('\n')}\n${pageLog}`);
    await call.page.screenshot({path: join(artifacts, `${call.side}.png`)}).catch(() => {});
  }
}

// Polls both pages until enough(stats of each) holds or the time is up; answers the last stats.
async function waitForMedia(calls, enough) {
  const deadline = Date.now() + MEDIA_TIMEOUT_MS;
  for (;;) {
    const last = await Promise.all(calls.map(stats));
    if (last.every((s, i) => s && enough(s, i)) || Date.now() > deadline) return last;
    await sleep(250);
  }
}

const flowing = (s) =>
    s.videoFramesDecoded >= MIN_FRAMES_DECODED && s.audioPacketsReceived >= MIN_AUDIO_PACKETS;

function assertFlowing(calls, last, since = calls.map(() => ({videoFramesDecoded: 0,
                                                                audioPacketsReceived: 0}))) {
  for (const [i, call] of calls.entries()) {
    assert.ok(last[i], `${call.side}: the call page did not start`);
    const frames = last[i].videoFramesDecoded - since[i].videoFramesDecoded;
    const packets = last[i].audioPacketsReceived - since[i].audioPacketsReceived;
    assert.ok(frames >= MIN_FRAMES_DECODED, `${call.side} decoded ${frames} video frames`);
    assert.ok(packets >= MIN_AUDIO_PACKETS, `${call.side} received ${packets} audio packets`);
  }
}

async function makeCallSession() {
  const session = await createCallSessionThroughApi(server);
  console.log(`call session ${session.sessionId} made through ${session.via}`);
  return session;
}

test('a booth and an agent see and hear each other through the server', {timeout: 120000},
     async () => {
  const session = await makeCallSession();
  const calls = [await openCallPage('booth', session.booth),
                 await openCallPage('agent', session.agent)];
  let last;
  try {
    last = await waitForMedia(calls, flowing);
  } finally {
    await saveLogs(calls);
  }
  calls.forEach((call, i) => console.log(`${call.side}: ${JSON.stringify(last[i])}`));
  writeFileSync(join(artifacts, 'call-timing.json'), JSON.stringify(
      Object.fromEntries(calls.map((call, i) => [call.side, last[i]])), null, 2));
  assertFlowing(calls, last);
  for (const [i, call] of calls.entries()) {
    assert.ok(last[i].first_frame_ms > 0, `${call.side} recorded no first-frame time`);
  }
  console.log(`join to first decoded frame: booth ${last[0].first_frame_ms} ms, ` +
              `agent ${last[1].first_frame_ms} ms`);
  await Promise.all(calls.map((call) => call.page.close()));
});

test('a reloaded booth page takes its place in the call again', {timeout: 120000}, async () => {
  const session = await makeCallSession();
  // Join tokens are single-use: the page asks for its own with the booth's credential (as the
  // booth app does), so that the reloaded page gets a new one.
  const booth = {side: 'booth-before-reload', page: await browser.newPage(), lines: []};
  booth.page.on('console', (message) => booth.lines.push(`[console] ${message.text()}`));
  await booth.page.goto(`${server.baseUrl}/dev/call.html?session_id=${session.sessionId}` +
                        `#bearer=${session.boothToken}`);
  const agent = await openCallPage('agent-across-reload', session.agent);
  try {
    const before = await waitForMedia([booth, agent], flowing);
    assertFlowing([booth, agent], before);

    await booth.page.reload();
    booth.side = 'booth-after-reload';
    const after = await waitForMedia(
        [booth, agent], (s, i) => i === 0 ? flowing(s)
                                          : flowing({
                                              videoFramesDecoded: s.videoFramesDecoded -
                                                                  before[1].videoFramesDecoded,
                                              audioPacketsReceived: s.audioPacketsReceived -
                                                                    before[1].audioPacketsReceived,
                                            }));
    assertFlowing([booth, agent], after, [{videoFramesDecoded: 0, audioPacketsReceived: 0},
                                          before[1]]);
    assert.equal(after[1].state, 'connected', 'the agent stayed in the call');
    const agentLog = await agent.page.locator('#log').textContent();
    assert.match(agentLog, /booth left[\s\S]*booth joined/, 'the agent saw the booth leave and come back');
  } finally {
    await saveLogs([booth, agent]);
  }
});

// RFC 7675: the booth's whole browser freezes (SIGSTOP: no goodbye, no DTLS alert, its sockets
// stay open). Its WebSocket stays open too (the server waits 60 s for an idle one), so only the
// media can tell: after 30 s without an ICE check the server removes the booth and the agent is
// told `{type: "participant", event: "left"}`, while its own call stays up.
test('a booth whose browser freezes is removed by ICE consent freshness', {timeout: 120000},
     async () => {
  const session = await makeCallSession();
  const boothBrowser = await launchBrowser();
  const marker = `--user-data-dir=${boothBrowser.userDataDir}`;
  const agent = await openCallPage('agent-of-frozen-booth', session.agent);
  await holdAgentConsole(agent.page, session.agentToken);
  try {
    const booth = await openCallPage('frozen-booth', session.booth, boothBrowser);
    assertFlowing([booth, agent], await waitForMedia([booth, agent], flowing));
    processes.signalProcessTree(marker, 'SIGSTOP');
    const frozen = Date.now();
    let log = '';
    while (!/booth left/.test(log) && Date.now() - frozen < 40000) {
      await sleep(250);
      log = await agent.page.locator('#log').textContent();
    }
    const took = Date.now() - frozen;
    console.log(`the agent was told the booth left ${took} ms after the booth froze`);
    assert.match(log, /booth left/, 'the agent was not told that the booth left');
    assert.ok(took > 20000, `the booth left after ${took} ms: not by consent freshness`);
    assert.equal(await agent.page.evaluate(() => window.vgCall.state), 'connected');
  } finally {
    await saveLogs([agent]);
    try {
      processes.signalProcessTree(marker, 'SIGKILL');
    } catch { /* already gone */ }
    await boothBrowser.close().catch(() => {});
  }
});

test('SIGTERM during a call: the server exits 0 within 10 s and the pages notice', {timeout: 60000},
     async () => {
  const session = await makeCallSession();
  const calls = [await openCallPage('booth-at-stop', session.booth),
                 await openCallPage('agent-at-stop', session.agent)];
  try {
    assertFlowing(calls, await waitForMedia(calls, flowing));
    const started = Date.now();
    const exit = await server.stop();
    const took = Date.now() - started;
    server = null;
    assert.deepEqual(exit, {code: 0, signal: null});
    assert.ok(took < 10000, `the server took ${took} ms to stop`);
    for (const call of calls) {
      const state = await call.page.evaluate(async () => {
        for (let i = 0; i < 40 && window.vgCall.state === 'connected'; ++i) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return window.vgCall.state;
      });
      assert.notEqual(state, 'connected', `${call.side} still believes it is in the call`);
    }
  } finally {
    await saveLogs(calls);
  }
});
