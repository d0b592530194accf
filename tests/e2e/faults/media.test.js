// Media through `visioguichet serve` under faults, in headless Chromium: a booth page and an
// agent page in a call session made through the REST API, on the network of run.sh's namespace
// (loopback only), which each test impairs with nft or tc:
//   - H264 and VP9 end to end: both pages prefer the codec (setCodecPreferences), and each
//     decodes the other's video in that codec (getStats: the inbound codec and framesDecoded);
//   - ICE over TCP: every UDP datagram is dropped; the call flows over the server's passive TCP
//     candidate;
//   - 5% loss: both keep decoding at least 15 frames a second, and lost packets are asked for
//     and resent (nackCount, retransmittedPacketsSent);
//   - a slow receiver: the booth's downlink becomes a 300 kb/s line; the agent's browser, whose
//     own uplink is clean, is slowed below the line's rate by the server's estimate of the
//     booth's downlink, and the booth keeps decoding.
// The media harness keeps its own tests of these (tests/integration/rtc); consent expiry through
// the server is ../call.test.js's frozen-booth test.
// One ctest per test (VG_MEDIA_FAULT names the one to define; all without it): each prints its
// duration.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';

import pages from '../../integration/rtc/chromium_pages.cjs';
import {launchBrowser} from '../lib/browser.js';
import {createCallSessionThroughApi} from '../lib/callSession.js';
import {createDatabase} from '../lib/database.js';
import {startServer} from '../lib/server.js';

const {nft, tc} = pages;
const artifacts = process.env.VG_E2E_ARTIFACTS || new URL('../artifacts', import.meta.url).pathname;

let database;
let server;
let browser;

before(async () => {
  database = createDatabase();
  server = await startServer({databaseUrl: database.url, artifacts,
                              env: {VISIOGUICHET_LOG_LEVEL: 'info'}});
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  database?.drop();
});

// In the page: joins the call session with the fake camera and microphone, speaking the
// signaling protocol itself (so that it can prefer a codec before its offer), and answers the
// server's later offers. window.pc is its peer connection.
async function joinInPage({signalingUrl, joinToken, video, codec}) {
  const stream = await navigator.mediaDevices.getUserMedia({audio: true, video});
  const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
  window.pc = pc;
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  if (codec) {
    const all = RTCRtpReceiver.getCapabilities('video').codecs;
    const wanted = all.filter((c) => c.mimeType.toLowerCase() === `video/${codec.name}` &&
                                     (c.sdpFmtpLine || '').includes(codec.fmtp));
    const repair = all.filter((c) => c.mimeType.toLowerCase() === 'video/rtx');
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.sender.track?.kind === 'video') {
        transceiver.setCodecPreferences([...wanted, ...repair]);
      }
    }
  }
  const url = new URL(signalingUrl, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url.href);
  window.vgSignaling = ws;
  let chain = Promise.resolve();
  const step = (fn) => { chain = chain.then(fn).catch((e) => console.error(String(e))); };
  const send = (message) => ws.send(JSON.stringify(message));
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'joined') {
      step(async () => {
        await pc.setLocalDescription(await pc.createOffer());
        send({type: 'offer', sdp: pc.localDescription.sdp});
      });
    } else if (message.type === 'answer') {
      step(() => pc.setRemoteDescription({type: 'answer', sdp: message.sdp}));
    } else if (message.type === 'offer') {
      step(async () => {
        await pc.setRemoteDescription({type: 'offer', sdp: message.sdp});
        await pc.setLocalDescription(await pc.createAnswer());
        send({type: 'answer', sdp: pc.localDescription.sdp});
      });
    }
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('signaling did not open'));
  });
  send({type: 'join', join_token: joinToken});
}

// In the page: what getStats() says of video in and out, audio in, and the selected pair.
async function statsInPage() {
  const report = await window.pc.getStats();
  const s = {framesDecoded: 0, audioPackets: 0, nackCount: 0, bytesSent: 0,
             retransmittedPacketsSent: 0, inCodecs: [], outCodecs: []};
  const codec = (id) => report.get(id)?.mimeType;
  report.forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') {
      s.framesDecoded += r.framesDecoded || 0;
      s.nackCount += r.nackCount || 0;
      if (r.codecId) s.inCodecs.push(codec(r.codecId));
    } else if (r.type === 'inbound-rtp' && r.kind === 'audio') {
      s.audioPackets += r.packetsReceived || 0;
    } else if (r.type === 'outbound-rtp' && r.kind === 'video') {
      s.bytesSent += r.bytesSent || 0;
      s.retransmittedPacketsSent += r.retransmittedPacketsSent || 0;
      if (r.codecId) s.outCodecs.push(codec(r.codecId));
    } else if (r.type === 'transport' && r.selectedCandidatePairId) {
      const pair = report.get(r.selectedCandidatePairId);
      const local = report.get(pair.localCandidateId);
      const remote = report.get(pair.remoteCandidateId);
      s.pair = {protocol: local.protocol, localPort: local.port, remoteProtocol: remote.protocol,
                remotePort: remote.port};
    }
  });
  return s;
}

// Booth and agent pages in one new call session; answers {booth, agent} pages.
async function call({codec = null, video = true} = {}) {
  const session = await createCallSessionThroughApi(server);
  const sides = {};
  for (const side of ['booth', 'agent']) {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log(`${side}: ${m.text()}`); });
    // A page of ours that may use the camera (Permissions-Policy): the call test page, left
    // idle without a join token, so the call is the one this test makes.
    await page.goto(`${server.baseUrl}/dev/call.html`);
    await page.evaluate(joinInPage, {signalingUrl: session[side].signaling_url,
                                     joinToken: session[side].join_token, video, codec});
    sides[side] = page;
  }
  return sides;
}

const stats = (page) => page.evaluate(statsInPage);

// Polls both pages until each decoded at least `frames` video frames and received audio.
async function flowing(sides, frames = 25, limitMs = 30000) {
  const until = Date.now() + limitMs;
  for (;;) {
    const now = {booth: await stats(sides.booth), agent: await stats(sides.agent)};
    if (Object.values(now).every((s) => s.framesDecoded >= frames && s.audioPackets > 0)) return now;
    if (Date.now() > until) assert.fail(`no media both ways within ${limitMs} ms: ${JSON.stringify(now)}`);
    await sleep(200);
  }
}

async function hangUp(sides) {
  for (const page of Object.values(sides)) await page.close();
}

// Defines the test keyed `key` (unless VG_MEDIA_FAULT names another), its time printed.
function timed(key, name, body) {
  if (process.env.VG_MEDIA_FAULT && process.env.VG_MEDIA_FAULT !== key) return;
  test(name, {timeout: 60000}, async () => {
    const start = Date.now();
    try {
      await body();
    } finally {
      console.log(`# ${name}: ${Date.now() - start} ms`);
    }
  });
}

function dropUdp(percent) {
  nft('add', 'table', 'inet', 'vg_faults');
  nft('add', 'chain', 'inet', 'vg_faults', 'in', '{ type filter hook input priority 0; }');
  const rule = percent >= 100 ? ['meta', 'l4proto', 'udp', 'drop']
                              : ['meta', 'l4proto', 'udp', 'numgen', 'random', 'mod', '100', '<',
                                 String(percent), 'drop'];
  nft('add', 'rule', 'inet', 'vg_faults', 'in', ...rule);
}

function heal() {
  nft('add', 'table', 'inet', 'vg_faults');  // so that deleting it never fails
  nft('delete', 'table', 'inet', 'vg_faults');
  if (tc('qdisc', 'show', 'dev', 'lo').includes('htb')) tc('qdisc', 'del', 'dev', 'lo', 'root');
}

for (const codec of [{label: 'H264', name: 'h264', fmtp: 'profile-level-id=42e01f'},
                     {label: 'VP9', name: 'vp9', fmtp: 'profile-id=0'}]) {
  timed(codec.name, `${codec.label} end to end: each page decodes the other's ${codec.label} video`, async () => {
    const sides = await call({codec});
    try {
      const now = await flowing(sides);
      for (const [side, s] of Object.entries(now)) {
        console.log(`# ${side}: ${JSON.stringify(s)}`);
        assert.deepEqual([...new Set(s.outCodecs)], [`video/${codec.label}`], `${side} sends`);
        assert.deepEqual([...new Set(s.inCodecs)], [`video/${codec.label}`], `${side} receives`);
      }
    } finally {
      await hangUp(sides);
    }
  });
}

timed('ice_tcp', 'ICE over TCP: with UDP blocked the call flows over the TCP candidate', async () => {
  heal();
  dropUdp(100);
  try {
    const sides = await call();
    try {
      const now = await flowing(sides);
      for (const [side, s] of Object.entries(now)) {
        console.log(`# ${side}: ${JSON.stringify(s)}`);
        assert.equal(s.pair?.protocol, 'tcp', `${side}'s selected pair: ${JSON.stringify(s.pair)}`);
        assert.equal(s.pair?.remotePort, 40000, `${side} reaches the server's media port`);
      }
    } finally {
      await hangUp(sides);
    }
  } finally {
    heal();
  }
});

timed('loss', '5% loss: both keep decoding, and lost packets are asked for and resent', async () => {
  heal();
  const sides = await call();
  try {
    await flowing(sides);
    dropUdp(5);
    const seconds = 12;
    const before = {booth: await stats(sides.booth), agent: await stats(sides.agent)};
    await sleep(seconds * 1000);
    const after = {booth: await stats(sides.booth), agent: await stats(sides.agent)};
    heal();
    for (const side of ['booth', 'agent']) {
      const fps = (after[side].framesDecoded - before[side].framesDecoded) / seconds;
      console.log(`# ${side} under 5% loss: ${fps.toFixed(1)} frames/s, nackCount ` +
                  `${after[side].nackCount}, retransmittedPacketsSent ` +
                  `${after[side].retransmittedPacketsSent}`);
      assert.ok(fps >= 15, `${side} decoded ${fps.toFixed(1)} frames/s under 5% loss`);
      assert.ok(after[side].nackCount > before[side].nackCount, `${side} never asked again`);
      assert.ok(after[side].retransmittedPacketsSent > before[side].retransmittedPacketsSent,
                `${side} never resent a packet the server asked for`);
    }
  } finally {
    heal();
    await hangUp(sides);
  }
});

// Samples the agent's outgoing video bitrate each second until done(kbps): the milliseconds that
// took, or null after limitMs.
async function agentBitrate(sides, limitMs, done) {
  const start = Date.now();
  let last = {at: start, s: await stats(sides.agent)};
  while (Date.now() - start < limitMs) {
    await sleep(1000);
    const now = {at: Date.now(), s: await stats(sides.agent)};
    const kbps = ((now.s.bytesSent - last.s.bytesSent) * 8) / (now.at - last.at);
    console.log(`# the agent sends ${Math.round(kbps)} kb/s of video`);
    if (done(kbps)) return now.at - start;
    last = now;
  }
  return null;
}

// Packets to the booth's port go through a slow class with a queue of 250 ms; the rest
// at loopback speed.
function slowLine(port, kbps) {
  tc('qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '1');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '10gbit',
     'quantum', '60000');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:2', 'htb', 'rate', `${kbps}kbit`,
     'ceil', `${kbps}kbit`);
  tc('qdisc', 'add', 'dev', 'lo', 'parent', '1:2', 'handle', '2:', 'bfifo', 'limit',
     String((kbps * 1000) / 8 / 4));
  nft('add', 'table', 'inet', 'vg_faults');
  nft('add', 'chain', 'inet', 'vg_faults', 'out', '{ type filter hook output priority 0; }');
  nft('add', 'rule', 'inet', 'vg_faults', 'out', 'udp', 'dport', String(port), 'meta',
      'priority', 'set', '1:2');
}

timed('slow_receiver', 'a slow receiver: the sender slows to the booth\'s line and the booth keeps decoding',
      async () => {
  heal();
  const lineKbps = 300;
  const sides = await call();
  try {
    await flowing(sides);
    // The agent's video first goes well above the line's rate on the clean network.
    const clean = await agentBitrate(sides, 20000, (kbps) => kbps > 1.5 * lineKbps);
    assert.ok(clean !== null, `the agent's video never went above ${1.5 * lineKbps} kb/s`);
    const boothPort = (await stats(sides.booth)).pair?.localPort;
    assert.ok(boothPort, 'the booth page has a selected pair');
    slowLine(boothPort, lineKbps);
    const fellAfter = await agentBitrate(sides, 15000, (kbps) => kbps < lineKbps);
    assert.ok(fellAfter !== null, `the agent's video did not fall below ${lineKbps} kb/s in 15 s`);
    console.log(`# the agent's video fell below ${lineKbps} kb/s ${fellAfter} ms after the line slowed`);
    const before = {at: Date.now(), booth: await stats(sides.booth), agent: await stats(sides.agent)};
    await sleep(8000);
    const booth = await stats(sides.booth);
    const agent = await stats(sides.agent);
    const seconds = (Date.now() - before.at) / 1000;
    const fps = (booth.framesDecoded - before.booth.framesDecoded) / seconds;
    const mean = ((agent.bytesSent - before.agent.bytesSent) * 8) / seconds / 1000;
    console.log(`# on the slow line: the agent sent ${Math.round(mean)} kb/s on average, ` +
                `the booth decoded ${fps.toFixed(1)} frames/s`);
    assert.ok(mean < lineKbps, `the agent sent ${Math.round(mean)} kb/s on average`);
    assert.ok(fps >= 8, `the booth decoded only ${fps.toFixed(1)} frames/s`);
  } finally {
    heal();
    await hangUp(sides);
  }
});
