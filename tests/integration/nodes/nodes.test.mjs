// Several nodes on one database (issue 13, CONTRACT.md "Several nodes on one database"), as the
// people in a call meet them. run.sh gives this test a network namespace where 198.18.0.1-3 are
// the three nodes' addresses; a TCP load balancer of ours on 127.0.0.1:18080 (the pages' origin)
// sends each connection to a node that accepts it, as an HTTPS load balancer would.
//  1. A call between two Chromium pages; SIGKILL of its node: both pages decode the other's
//     video again within 10 s through another node; GET /nodes shows the killed one lost.
//  2. A walk-in through one survivor is seen on a console connected to the other.
//  3. SIGTERM of the node that hosts the call now: bye "moved", media back within 10 s on the
//     last node, the process exits 0 within drain_seconds.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {randomBytes, randomUUID} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import net from 'node:net';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';

import {restClient} from '../../e2e/journey/admin.js';
import {launchBrowser} from '../../e2e/lib/browser.js';
import {createDatabase, psql} from '../../e2e/lib/database.js';

const artifacts = process.env.VG_E2E_ARTIFACTS;
const binary = process.env.VG_SERVER_BINARY;
const LB = '127.0.0.1:18080';
const base = `http://${LB}`;
const NODE_LOST_SECONDS = 3;
const DRAIN_SECONDS = 15;
const addresses = ['198.18.0.1', '198.18.0.2', '198.18.0.3'];
const nodeUrl = (address) => `http://${address}:8080`;

let database;
let adminKey;
let balancer;
let browser;
const nodes = new Map();  // node name -> {child, exit, exited, address}

function serverEnv(name, address) {
  return {
    ...process.env,
    VISIOGUICHET_DATABASE_URL: database.url,
    VISIOGUICHET_NODE_NAME: name,
    VISIOGUICHET_NODE_LOST_SECONDS: String(NODE_LOST_SECONDS),
    VISIOGUICHET_DRAIN_SECONDS: String(DRAIN_SECONDS),
    VISIOGUICHET_HTTP_ADDR: `${address}:8080`,
    VISIOGUICHET_PUBLIC_URL: nodeUrl(address),
    VISIOGUICHET_RTC_ADDR: `${address}:40000`,
    VISIOGUICHET_ADMIN_ADDR: `${address}:9090`,
    // Plain HTTP on these addresses: the balancer is the "proxy" (in production it does TLS).
    VISIOGUICHET_BEHIND_PROXY: 'true',
    VISIOGUICHET_TRUSTED_PROXIES: '127.0.0.0/8, 198.18.0.0/24',
    VISIOGUICHET_ALLOWED_ORIGINS: [base, ...addresses.map(nodeUrl)].join(', '),
    VISIOGUICHET_BOOTSTRAP_ADMIN_KEY: adminKey,
    VISIOGUICHET_DEV_PAGES: 'true',
    VISIOGUICHET_MEDIA_WORKERS: '1',
    VISIOGUICHET_DB_POOL_SIZE: '4',
    VISIOGUICHET_LOG_LEVEL: 'debug',
  };
}

async function startNode(name, address) {
  const child = spawn(binary, ['serve'], {env: serverEnv(name, address),
                                          stdio: ['ignore', 'pipe', 'pipe']});
  const log = createWriteStream(join(artifacts, `${name}.log`));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const node = {child, address, exit: null};
  node.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    node.exit = {code, signal, at: Date.now()};
    resolve(node.exit);
  }));
  nodes.set(name, node);
  const deadline = Date.now() + 30000;
  for (;;) {
    if (node.exit) throw new Error(`${name} exited at start (${JSON.stringify(node.exit)})`);
    try {
      if ((await fetch(`${nodeUrl(address)}/readyz`)).ok) return node;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${name} not ready within 30 s`);
    await sleep(100);
  }
}

// Each connection to the next node that accepts it (round robin): a dead node is skipped.
function startBalancer() {
  let next = 0;
  const server = net.createServer((client) => {
    client.pause();
    const tryNode = (left) => {
      if (left === 0) return client.destroy();
      const address = addresses[next++ % addresses.length];
      const upstream = net.connect({host: address, port: 8080});
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', () => { if (!connected) tryNode(left - 1); });
    };
    tryNode(addresses.length);
  });
  return new Promise((resolve) => server.listen(18080, '127.0.0.1', () => resolve(server)));
}

const hostOf = (sessionId) =>
  psql(database.url, `SELECT node_name FROM call_sessions WHERE id = '${sessionId}'`);

async function stats(page) {
  return page.evaluate(() => window.vgStats?.());
}

// Waits until the page, after `since` (page clock, ms), went through "reconnecting" and decodes
// video and receives audio again; answers the page's events.
async function mediaBack(page, since, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [s, events] = await page.evaluate(async () => [await window.vgStats(), window.vgEvents]);
    const moved = events.some((e) => e.at_ms >= since && e.what.startsWith('reconnecting'));
    if (moved && s.state === 'connected' && s.videoFramesDecoded > 0 && s.audioPacketsReceived > 0)
      return events.filter((e) => e.at_ms >= since);
    if (Date.now() > deadline) {
      throw new Error(`media not back within ${timeoutMs} ms: ${JSON.stringify(s)} ` +
                      JSON.stringify(events.filter((e) => e.at_ms >= since)));
    }
    await sleep(100);
  }
}

const pageNow = (page) => page.evaluate(() => performance.now());

before(async () => {
  database = createDatabase();
  adminKey = randomBytes(32).toString('base64url');
  execFileSync(binary, ['migrate'], {env: serverEnv('migrate', addresses[0]), stdio: 'inherit'});
  for (let i = 0; i < 3; ++i) await startNode(`node-${i + 1}`, addresses[i]);
  balancer = await startBalancer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  balancer?.close();
  for (const node of nodes.values()) if (!node.exit) node.child.kill('SIGKILL');
  await Promise.all([...nodes.values()].map((node) => node.exited));
  database?.drop();
});

test('a call survives the loss of its node and the drain of the next', {timeout: 200000}, async () => {
  const admin = restClient(base, adminKey);
  const tag = randomUUID().slice(0, 8);
  const site = await admin('POST', '/sites', {code: `n-${tag}`, name_fr: 'Nicolet',
                                               name_en: 'Nicolet', timezone: 'UTC'});
  const service = await admin('POST', '/services', {code: `s-${tag}`, name_fr: 'Emploi',
                                                     name_en: 'Jobs', duration_minutes: 15,
                                                     walk_in_allowed: true});
  const password = `pw-${randomUUID()}`;
  const email = `agent-${tag}@example.org`;
  await admin('POST', '/agents', {email, display_name: 'Julie', password, roles: ['agent'],
                                  site_ids: [site.id], service_ids: [service.id],
                                  languages: ['fr']});
  const anonymous = restClient(base, '');
  const enrol = async (label) => {
    const booth = await admin('POST', `/sites/${site.id}/booths`, {label});
    return (await anonymous('POST', '/booth/enroll',
                            {enrollment_token: booth.enrollment_token})).booth_token;
  };
  const boothToken = await enrol('Borne 1');
  const agentToken = (await anonymous('POST', '/auth/login', {email, password})).token;
  const booth = restClient(base, boothToken);
  const agent = restClient(base, agentToken);
  await agent('PUT', '/agents/me/presence', {state: 'available'});
  await booth('POST', '/booth/walk-in', {service_id: service.id, language: 'fr'});
  const offered = await agent('POST', '/queue/claim-next');
  const {session_id: sessionId} = await agent('POST', `/queue/${offered.id}/accept`);
  const firstHost = hostOf(sessionId);
  assert.match(firstHost, /^node-[123]$/, 'the call session is placed when it starts');

  const open = async (bearer) => {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log(`page: ${m.text()}`); });
    await page.goto(`${base}/dev/call.html?session_id=${sessionId}#bearer=${bearer}`);
    return page;
  };
  const boothPage = await open(boothToken);
  const agentPage = await open(agentToken);
  for (const page of [boothPage, agentPage]) {
    const deadline = Date.now() + 20000;
    for (;;) {
      const s = await stats(page);
      if (s?.videoFramesDecoded > 0 && s.audioPacketsReceived > 0) break;
      assert.ok(Date.now() < deadline, `no media at first: ${JSON.stringify(s)}`);
      await sleep(200);
    }
  }
  console.log(`call ${sessionId} on ${firstHost}, media flowing both ways`);

  // 1. The host dies.
  const since = [await pageNow(boothPage), await pageNow(agentPage)];
  const killedAt = Date.now();
  nodes.get(firstHost).child.kill('SIGKILL');
  await Promise.all([mediaBack(boothPage, since[0], 10000), mediaBack(agentPage, since[1], 10000)]);
  const backAfterKill = Date.now() - killedAt;
  const secondHost = hostOf(sessionId);
  console.log(`SIGKILL ${firstHost}: media back on ${secondHost} in ${backAfterKill} ms`);
  assert.notEqual(secondHost, firstHost);
  assert.ok(backAfterKill <= 10000);
  const {nodes: listed} = await admin('GET', '/nodes');
  const byName = Object.fromEntries(listed.map((n) => [n.name, n]));
  assert.equal(byName[firstHost].state, 'lost');
  assert.equal(byName[secondHost].state, 'active');
  assert.equal(Object.values(byName).filter((n) => n.state === 'active').length, 2);

  // 2. Live events on one survivor hear a walk-in made through the other.
  const survivors = [...nodes.keys()].filter((name) => name !== firstHost);
  const [consoleNode, walkInNode] = survivors.map((name) => nodes.get(name).address);
  // The console: a page of the console node's own origin with a live-events WebSocket.
  const consolePage = await browser.newPage();
  await consolePage.goto(`${nodeUrl(consoleNode)}/dev/call.html`);
  await consolePage.evaluate(async ({url, token}) => {
    window.vgConsole = [];
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    ws.onmessage = (event) => window.vgConsole.push(JSON.parse(event.data));
    ws.send(JSON.stringify({type: 'hello', token}));
  }, {url: `ws://${consoleNode}:8080/api/v1/events`, token: agentToken});
  const secondBooth = restClient(nodeUrl(walkInNode), await enrol('Borne 2'));
  await sleep(500);
  const walkIn = await secondBooth('POST', '/booth/walk-in', {service_id: service.id,
                                                              language: 'fr'});
  const deadline = Date.now() + 5000;
  for (;;) {
    const events = await consolePage.evaluate(() => window.vgConsole);
    if (events.some((e) => e.type === 'queue.changed' &&
                           JSON.stringify(e).includes(walkIn.queue_entry_id))) break;
    assert.ok(Date.now() < deadline,
              `the walk-in through ${walkInNode} was not seen on ${consoleNode}: ` +
              JSON.stringify(events));
    await sleep(100);
  }
  await consolePage.close();
  console.log(`walk-in through ${walkInNode} seen on a console of ${consoleNode}`);

  // 3. The new host drains.
  const since2 = [await pageNow(boothPage), await pageNow(agentPage)];
  const termAt = Date.now();
  const draining = nodes.get(secondHost);
  draining.child.kill('SIGTERM');
  const [boothEvents, agentEvents] = await Promise.all([
    mediaBack(boothPage, since2[0], 10000), mediaBack(agentPage, since2[1], 10000)]);
  const backAfterTerm = Date.now() - termAt;
  const thirdHost = hostOf(sessionId);
  console.log(`SIGTERM ${secondHost}: media back on ${thirdHost} in ${backAfterTerm} ms`);
  for (const pageEvents of [boothEvents, agentEvents]) {
    assert.ok(pageEvents.some((e) => e.what === 'reconnecting moved'),
              `no bye moved: ${JSON.stringify(pageEvents)}`);
  }
  assert.ok(![firstHost, secondHost].includes(thirdHost));
  const exit = await Promise.race([draining.exited, sleep(DRAIN_SECONDS * 1000 + 2000, null)]);
  assert.ok(exit, `${secondHost} still running ${DRAIN_SECONDS} s after SIGTERM`);
  assert.equal(exit.code, 0, `${secondHost} exit: ${JSON.stringify(exit)}`);
  console.log(`${secondHost} exited 0 ${exit.at - termAt} ms after SIGTERM`);
  const after = await stats(boothPage);
  assert.ok(after.videoFramesDecoded > 0);
});
