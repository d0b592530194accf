// Two libwebrtc peers (npm @roamhq/wrtc: Google's WebRTC, as in Chromium) join one call through
// our media engine (vg_media_harness) and must each receive the other's audio and video:
// getStats() shows inbound video frames decoded and inbound audio packets on both sides. Then a
// peer whose SDP fingerprint does not match its certificate is refused, and leaving releases
// everything.
//   node wrtc_call.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { makePeer, inbound } = require('./wrtc_peer.cjs');
const assert = require('node:assert/strict');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 60000);

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

const harness = startHarness(harnessPath, fail);

async function connect(peer, room, role, mangle = (sdp) => sdp) {
  const offer = await peer.pc.createOffer();
  await peer.pc.setLocalDescription(offer);
  const { id, sdp } = await harness.join(room, role, mangle(peer.pc.localDescription.sdp));
  await peer.pc.setRemoteDescription({ type: 'answer', sdp });
  return id;
}

async function main() {
  const ready = await harness.expectLine((e) => e.line.startsWith('READY'));
  console.log(ready.line);

  // 1. A booth and an agent in one call session.
  const started = Date.now();
  const booth = makePeer('booth');
  const agent = makePeer('agent');
  const boothId = await connect(booth, 'call-1', 'booth');
  const agentId = await connect(agent, 'call-1', 'agent');
  await harness.expectLine((e) => e.line === `CONNECTED ${boothId}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentId}`);
  console.log(`both connected after ${Date.now() - started} ms`);
  let firstFrame = 0;
  for (;;) {
    const [b, a] = await Promise.all([inbound(booth.pc), inbound(agent.pc)]);
    if (!firstFrame && (b.videoFrames > 0 || a.videoFrames > 0)) firstFrame = Date.now() - started;
    if (b.videoFrames > 0 && a.videoFrames > 0 && b.audioPackets > 0 && a.audioPackets > 0) {
      console.log(`booth ${JSON.stringify(b)} agent ${JSON.stringify(a)}; first frame after ` +
                  `${firstFrame} ms, both after ${Date.now() - started} ms`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  // 2. Leaving releases everything.
  harness.send(`LEAVE ${boothId}\nLEAVE ${agentId}\n`);
  await harness.expectLine((e) => e.line === `CLOSED ${boothId} left`);
  await harness.expectLine((e) => e.line === `CLOSED ${agentId} left`);
  booth.close();
  agent.close();

  // 3. An offer whose fingerprint is not its certificate's: the transport is refused.
  const impostor = makePeer('impostor');
  const impostorId = await connect(impostor, 'call-2', 'booth', (sdp) =>
    sdp.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/g, (m, first) =>
      `a=fingerprint:sha-256 ${first === '00' ? '01' : '00'}`));
  const closed = await harness.expectLine((e) => e.line.startsWith(`CLOSED ${impostorId} `));
  assert.match(closed.line, /fingerprint/);
  console.log(closed.line);
  impostor.close();

  harness.send('STATS\n');
  const stats = await harness.expectLine((e) => e.line.startsWith('STATS'));
  assert.equal(stats.line.split(' ').slice(1, 4).join(' '), '0 0 0', stats.line);
  console.log(`after the calls: ${stats.line}`);
  harness.end();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}

main().catch((error) => fail(error.stack || String(error)));
