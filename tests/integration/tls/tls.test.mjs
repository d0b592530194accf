// HTTPS as a booth in another building meets it (issue 12): run.sh gives this test a network
// namespace where the server listens on 198.18.0.10, a test CA that Chromium and node trust (and
// nothing else), and the two certificates. The booth and agent apps complete a call over wss://;
// a certificate swapped by SIGHUP is seen by new connections while the call goes on.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {copyFileSync, createWriteStream, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import tls from 'node:tls';

import {bookNow, setUpSite} from '../../e2e/journey/admin.js';
import {launchJourneyBrowser} from '../../e2e/journey/browser.js';
import {eventually, watchConsole} from '../../e2e/journey/pages.js';
import {mediaFlows, offerShown, onScreen, signIn} from '../../e2e/journey/steps.js';
import {createDatabase} from '../../e2e/lib/database.js';

const dir = process.env.VG_TLS_DIR;
const address = process.env.VG_TLS_ADDRESS;
const artifacts = process.env.VG_E2E_ARTIFACTS;
const binary = process.env.VG_SERVER_BINARY;
const PORT = 8443;
const base = `https://${address}:${PORT}`;
const ca = readFileSync(join(dir, 'ca.pem'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');

function install(serial) {
  // The key first: a reload between the two copies would find a pair that does not match and
  // keep the running one, which the test would see.
  copyFileSync(join(dir, `server-${serial}.key`), keyFile);
  copyFileSync(join(dir, `server-${serial}.pem`), certFile);
}

// The serial of the certificate a new TLS connection gets, verified against the test CA.
function servedSerial() {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({host: address, port: PORT, ca, servername: undefined}, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.on('error', reject);
  });
}

function openssl(args) {
  const result = spawnSync('openssl', args, {input: '', encoding: 'utf8', timeout: 20000});
  return {status: result.status, output: `${result.stdout}\n${result.stderr}`};
}

let database;
let server;
let adminKey;
let browser;

function serverEnv(more = {}) {
  return {
    ...process.env,
    VISIOGUICHET_DATABASE_URL: database.url,
    VISIOGUICHET_HTTP_ADDR: `${address}:${PORT}`,
    VISIOGUICHET_RTC_ADDR: `${address}:40000`,
    VISIOGUICHET_ADMIN_ADDR: '127.0.0.1:9090',
    VISIOGUICHET_BOOTSTRAP_ADMIN_KEY: adminKey,
    VISIOGUICHET_LOG_LEVEL: 'debug',
    ...more,
  };
}

before(async () => {
  database = createDatabase();
  adminKey = randomBytes(32).toString('base64url');
  install('1001');
  const env = serverEnv({VISIOGUICHET_TLS_CERT_FILE: certFile, VISIOGUICHET_TLS_KEY_FILE: keyFile});
  const child = spawn(binary, ['serve'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  const log = createWriteStream(join(artifacts, 'server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exit = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    exit = {code, signal};
    resolve(exit);
  }));
  server = {child, exited, get exit() { return exit; }};
  await eventually(async () => {
    if (exit) throw new Error(`the server exited at start (${JSON.stringify(exit)}), see server.log`);
    try {
      return (await fetch(`${base}/readyz`)).ok;
    } catch {
      return false;
    }
  }, {timeout: 30000, interval: 200, what: 'the server ready over HTTPS'});
  browser = await launchJourneyBrowser();
});

after(async () => {
  await browser?.close();
  if (server && !server.exit) {
    server.child.kill('SIGTERM');
    const killer = setTimeout(() => server.child.kill('SIGKILL'), 12000);
    await server.exited;
    clearTimeout(killer);
  }
  database?.drop();
});

test('plain HTTP on a non-loopback address is refused at start, naming tls_cert_file', () => {
  const result = spawnSync(binary, ['serve'], {
    env: serverEnv({VISIOGUICHET_HTTP_ADDR: `${address}:8080`}), encoding: 'utf8', timeout: 30000,
  });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /tls_cert_file/);
});

test('TLS 1.1 is refused; TLS 1.2 and 1.3 are spoken with a certificate the CA vouches for', () => {
  // The control: this openssl does speak TLS 1.1 when both ends allow it, so a failure against
  // the server below is the server's refusal, not the client's.
  const control = spawn('openssl', ['s_server', '-accept', '127.0.0.1:9443', '-naccept', '1',
                                    '-cert', join(dir, 'server-1001.pem'),
                                    '-key', join(dir, 'server-1001.key'), '-tls1_1',
                                    '-cipher', 'DEFAULT@SECLEVEL=0', '-quiet'],
                        {stdio: 'ignore'});
  try {
    let spoken;
    for (let i = 0; i < 50; ++i) {
      spoken = openssl(['s_client', '-connect', '127.0.0.1:9443', '-tls1_1',
                        '-cipher', 'DEFAULT@SECLEVEL=0']);
      if (spoken.status === 0) break;
      spawnSync('sleep', ['0.1']);
    }
    assert.equal(spoken.status, 0, spoken.output);
    assert.match(spoken.output, /Protocol\s*: TLSv1\.1/, 'the control speaks TLS 1.1');
  } finally {
    control.kill();
  }

  const old = openssl(['s_client', '-connect', `${address}:${PORT}`, '-tls1_1',
                       '-cipher', 'DEFAULT@SECLEVEL=0']);
  assert.notEqual(old.status, 0, old.output);
  assert.match(old.output, /New, \(NONE\), Cipher is \(NONE\)/, old.output);
  assert.match(old.output, /protocol version|unsupported protocol/i, old.output);
  for (const version of ['1_2', '1_3']) {
    const ok = openssl(['s_client', '-connect', `${address}:${PORT}`, `-tls${version}`,
                        '-CAfile', join(dir, 'ca.pem'), '-verify_return_error']);
    assert.equal(ok.status, 0, ok.output);
    // s_client prints the session block (with "Protocol :") only once a TLS 1.3 session ticket
    // has come, which may be after stdin closed; the "New, <version>, Cipher is" line always comes.
    const spokenVersion = `TLSv${version.replace('_', '\\.')}`;
    assert.match(ok.output,
                 new RegExp(`Protocol\\s*: ${spokenVersion}|New, ${spokenVersion}, Cipher`));
    assert.match(ok.output, /Verify return code: 0 \(ok\)/);
  }
});

test('every answer over HTTPS carries Strict-Transport-Security; metrics only on admin_addr',
     async () => {
  for (const path of ['/healthz', '/booth/', '/api/v1/sites', '/no/such/thing']) {
    const response = await fetch(`${base}${path}`);
    await response.arrayBuffer();
    assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000', path);
  }
  assert.equal((await fetch(`${base}/metrics`)).status, 404);
  const metrics = await fetch('http://127.0.0.1:9090/metrics');
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /vg_http_connections\{protocol="http"\}/);
});

test('a booth and an agent in a call over wss://; a SIGHUP certificate swap leaves it running',
     {timeout: 240000}, async () => {
  const setup = await setUpSite({baseUrl: base, adminKey});
  const appointment = await bookNow(setup);

  const open = async (name, path) => {
    const page = await browser.newPage();
    const watched = watchConsole(page, name);
    const sockets = [];
    page.on('websocket', (socket) => {
      const entry = {url: socket.url(), closed: false};
      socket.on('close', () => { entry.closed = true; });
      sockets.push(entry);
    });
    await page.goto(`${base}${path}`);
    return {page, watched, sockets};
  };
  const booth = await open('booth', `/booth/#enroll=${encodeURIComponent(setup.booth.enrollment_token)}`);
  await onScreen(booth.page, 'welcome');
  assert.equal(await booth.page.evaluate(() => window.isSecureContext), true);
  assert.equal(await booth.page.evaluate(() => location.origin), base);

  await booth.page.click('#go-checkin');
  await booth.page.keyboard.type(appointment.check_in_code);
  await booth.page.keyboard.press('Enter');
  await onScreen(booth.page, 'waiting');
  const agent = await open('agent', '/agent');
  await signIn(agent.page, setup.agent);
  await agent.page.click('#presence-available');
  await offerShown(agent.page);
  await agent.page.click('#offer-accept');
  await onScreen(booth.page, 'call', 20000);
  const [boothMedia, agentMedia] = await Promise.all([mediaFlows(booth.page, 'vgBooth'),
                                                      mediaFlows(agent.page, 'vgAgent')]);
  console.log(`# before the swap: booth ${JSON.stringify(boothMedia)}; agent ${JSON.stringify(agentMedia)}`);
  // The booth's camera reached the agent: the agent decodes its video.
  assert.ok(agentMedia.videoFramesDecoded > 0);
  for (const side of [booth, agent]) {
    const signaling = side.sockets.filter((s) => s.url.startsWith(`wss://${address}:${PORT}/rtc/v1`));
    assert.equal(signaling.length, 1, `${side.watched.name}: ${JSON.stringify(side.sockets)}`);
    assert.ok(side.sockets.every((s) => s.url.startsWith('wss://')), JSON.stringify(side.sockets));
  }

  assert.equal(await servedSerial(), '1001');
  install('2002');
  server.child.kill('SIGHUP');
  await eventually(async () => (await servedSerial()) === '2002',
                   {timeout: 10000, what: 'new connections get the new certificate'});

  // The call goes on: the same WebSockets, and frames still decoded on both sides (30 more
  // frames each; a loaded machine decodes slower, so up to 20 s for them).
  let boothAfter;
  let agentAfter;
  for (const until = Date.now() + 20000; Date.now() < until;) {
    await sleep(1000);
    [boothAfter, agentAfter] = await Promise.all([
      booth.page.evaluate(() => window.vgBooth.stats()),
      agent.page.evaluate(() => window.vgAgent.stats()),
    ]);
    if (boothAfter.videoFramesDecoded > boothMedia.videoFramesDecoded + 30 &&
        agentAfter.videoFramesDecoded > agentMedia.videoFramesDecoded + 30) break;
  }
  console.log(`# after the swap: booth ${JSON.stringify(boothAfter)}; agent ${JSON.stringify(agentAfter)}`);
  assert.ok(boothAfter.videoFramesDecoded > boothMedia.videoFramesDecoded + 30, 'booth video goes on');
  assert.ok(agentAfter.videoFramesDecoded > agentMedia.videoFramesDecoded + 30, 'agent video goes on');
  assert.ok(agentAfter.audioPacketsReceived > agentMedia.audioPacketsReceived);
  assert.equal(await booth.page.evaluate(() => window.vgBooth.screen), 'call');
  for (const side of [booth, agent]) {
    assert.ok(side.sockets.every((s) => !s.closed), `${side.watched.name}: a WebSocket closed`);
  }
  // A page loaded now (a new connection) is served with the new certificate without a warning.
  const late = await browser.newPage();
  const response = await late.goto(`${base}/healthz`);
  assert.equal(response.status(), 200);
  assert.equal((await response.securityDetails()).subjectName, address);
  await late.context().close();

  await agent.page.click('#end-submit');
  await onScreen(booth.page, 'end', 15000);
  booth.watched.assertClean();
  agent.watched.assertClean();
  await Promise.all([booth.page.context().close(), agent.page.context().close()]);
});

test('a booth opened at a plain-HTTP address says to use the https one, in French and English',
     {timeout: 60000}, async () => {
  // Plain HTTP on this address only as behind a TLS proxy would serve it (the proxy is absent
  // here: the kiosk was pointed at the wrong address).
  const child = spawn(binary, ['serve'], {
    env: serverEnv({VISIOGUICHET_HTTP_ADDR: `${address}:8080`, VISIOGUICHET_RTC_ADDR: `${address}:0`,
                    VISIOGUICHET_ADMIN_ADDR: '127.0.0.1:9091', VISIOGUICHET_BEHIND_PROXY: 'true',
                    VISIOGUICHET_TRUSTED_PROXIES: '127.0.0.1/32'}),
    stdio: 'ignore',
  });
  try {
    await eventually(async () => {
      try {
        return (await fetch(`http://${address}:8080/healthz`)).ok;
      } catch {
        return false;
      }
    }, {timeout: 30000, interval: 200, what: 'the plain-HTTP server'});
    const page = await browser.newPage();
    await page.goto(`http://${address}:8080/booth/`);
    await onScreen(page, 'insecure');
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    assert.match(await page.textContent('body'), /https:\/\//);
    assert.match(await page.textContent('#insecure-body'), /caméra/);
    await page.click('#lang-switch');
    assert.match(await page.textContent('#insecure-body'), /camera/);
    await page.context().close();
  } finally {
    child.kill('SIGTERM');
  }
});
