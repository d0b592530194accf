// A Chromium page whose network changes under a call keeps it by restarting ICE: two headless
// Chromium pages, a booth and an agent, in a call through vg_media_harness; then the booth's
// UDP port is dropped (nft, both ways: its path is gone) and the page does what CallClient does,
// pc.restartIce() and a new offer. Our answer carries new ICE credentials and the same
// fingerprint; Chromium selects a new UDP pair on a new port and media flows both ways again,
// without the server closing anyone or a new DTLS handshake.
//   node chromium_ice_restart.cjs PATH/TO/vg_media_harness   (inside unshare -n: see run.sh)
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, join, stats, waitForMedia, nft, pass } = require('./chromium_pages.cjs');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 100000);
let chromium;

function fail(message) {
  console.error(`FAIL: ${message}`);
  try { chromium?.signal('SIGKILL'); } catch { /* not started */ }
  process.exit(1);
}

const ufrag = (sdp) => /a=ice-ufrag:(\S+)/.exec(sdp)[1];
const fingerprint = (sdp) => /a=fingerprint:sha-256 (\S+)/.exec(sdp)[1];

async function main() {
  const harness = startHarness(harnessPath, fail);
  await harness.expectLine((e) => e.line.startsWith('READY'));
  chromium = await launch('ice-restart');
  const booth = await chromium.page();
  const agent = await chromium.page();
  const boothJoin = await join(harness, booth, 'call-restart', 'booth');
  const agentJoin = await join(harness, agent, 'call-restart', 'agent');
  await harness.expectLine((e) => e.line === `CONNECTED ${boothJoin.id}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentJoin.id}`);
  const [before] = await waitForMedia([booth, agent], 30000, fail);
  if (before.pair?.local?.protocol !== 'udp') fail(`not on UDP: ${JSON.stringify(before.pair)}`);
  harness.expectLine((e) => e.line.startsWith('CLOSED ')).then((e) => fail(`closed: ${e.line}`));
  harness.expectLine((e) => e.line.startsWith('CONNECTED '))
    .then((e) => fail(`a new DTLS handshake: ${e.line}`));

  // The booth's network changes: its UDP port is gone, and TCP with it (no fallback path).
  const oldPort = before.pair.local.port;
  nft('add', 'table', 'inet', 'vg_moved');
  nft('add', 'chain', 'inet', 'vg_moved', 'out', '{ type filter hook output priority 0; }');
  nft('add', 'rule', 'inet', 'vg_moved', 'out', 'udp', 'sport', String(oldPort), 'drop');
  nft('add', 'rule', 'inet', 'vg_moved', 'out', 'udp', 'dport', String(oldPort), 'drop');
  nft('add', 'rule', 'inet', 'vg_moved', 'out', 'tcp', 'dport', String(before.pair.remote.port),
      'drop');
  const moved = Date.now();
  const offer = await booth.evaluate(async () => {
    window.pc.restartIce();
    await window.pc.setLocalDescription(await window.pc.createOffer());
    return window.pc.localDescription.sdp;
  });
  const answer = await harness.restart(boothJoin.id, offer);
  if (ufrag(answer) === ufrag(boothJoin.sdp)) fail('the answer kept the old ICE ufrag');
  if (fingerprint(answer) !== fingerprint(boothJoin.sdp)) fail('the answer changed the fingerprint');
  await booth.evaluate((sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), answer);

  const grown = (now, then) => now.framesDecoded > then.framesDecoded + 30 &&
                               now.audioPackets > then.audioPackets + 100;
  const [boothThen, agentThen] = await Promise.all([stats(booth), stats(agent)]);
  for (;;) {
    const [b, a] = await Promise.all([stats(booth), stats(agent)]);
    const newPath = b.pair?.local?.protocol === 'udp' && b.pair.local.port !== oldPort;
    if (newPath && grown(b, boothThen) && grown(a, agentThen)) {
      console.log(`media both ways on ${JSON.stringify(b.pair)} ${Date.now() - moved} ms after ` +
                  `the move (old port ${oldPort}): booth ${b.framesDecoded} frames, ` +
                  `agent ${a.framesDecoded} frames`);
      break;
    }
    if (Date.now() - moved > 30000) {
      fail(`no media on a new path: booth ${JSON.stringify(b)} agent ${JSON.stringify(a)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const state = await booth.evaluate(() => window.pc.connectionState);
  if (state !== 'connected') fail(`booth's connection is ${state}`);

  nft('delete', 'table', 'inet', 'vg_moved');
  await pass(chromium, harness, deadline);
}

main().catch((error) => fail(error.stack || String(error)));
