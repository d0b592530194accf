// A participant whose network changed restarts ICE and keeps the call: two libwebrtc peers
// (npm @roamhq/wrtc) in a call through vg_media_harness; mid-call the booth offers again with
// iceRestart (new ICE credentials, new candidates), our answer carries new ICE credentials and the
// same fingerprint, the booth selects a new candidate pair whose checks the server answered, and
// media keeps flowing both ways without a new DTLS handshake or the server closing anyone. An
// offer that changes anything else is refused.
//   node wrtc_ice_restart.cjs PATH/TO/vg_media_harness
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const attribute = (sdp, name) => new RegExp(`a=${name}[: ](\\S+)`).exec(sdp)[1];

async function connect(peer, room, role) {
  await peer.pc.setLocalDescription(await peer.pc.createOffer());
  const { id, sdp } = await harness.join(room, role, peer.pc.localDescription.sdp);
  await peer.pc.setRemoteDescription({ type: 'answer', sdp });
  return id;
}

// The selected candidate pair of the peer's one (BUNDLE) transport.
async function selectedPair(pc) {
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((report) => {
    if (report.type === 'transport' && report.selectedCandidatePairId) {
      pair = stats.get(report.selectedCandidatePairId);
    }
  });
  if (!pair) {
    stats.forEach((report) => {
      if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') {
        pair = report;
      }
    });
  }
  return pair;
}

// Both peers' inbound counters grow by at least this much within limitMs.
async function mediaFlows(booth, agent, what, limitMs = 10000) {
  const before = await Promise.all([inbound(booth.pc), inbound(agent.pc)]);
  const start = Date.now();
  for (;;) {
    const now = await Promise.all([inbound(booth.pc), inbound(agent.pc)]);
    const grown = now.every((n, i) => n.videoFrames >= before[i].videoFrames + 20 &&
                                      n.audioPackets >= before[i].audioPackets + 50);
    if (grown) {
      console.log(`${what}: booth ${JSON.stringify(now[0])} agent ${JSON.stringify(now[1])}`);
      return;
    }
    if (Date.now() - start > limitMs) {
      fail(`${what}: media stopped: before ${JSON.stringify(before)} now ${JSON.stringify(now)}`);
    }
    await sleep(100);
  }
}

async function main() {
  await harness.expectLine((e) => e.line.startsWith('READY'));
  const booth = makePeer('booth');
  const agent = makePeer('agent');
  const boothId = await connect(booth, 'call-r', 'booth');
  const agentId = await connect(agent, 'call-r', 'agent');
  await harness.expectLine((e) => e.line === `CONNECTED ${boothId}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentId}`);
  await mediaFlows(booth, agent, 'before the restart');
  const firstAnswer = booth.pc.remoteDescription.sdp;
  const firstPair = await selectedPair(booth.pc);
  assert.ok(firstPair, 'a selected candidate pair before the restart');
  harness.expectLine((e) => e.line.startsWith('CLOSED ')).then((e) => fail(`closed: ${e.line}`));
  harness.expectLine((e) => e.line.startsWith(`CONNECTED ${boothId}`))
    .then(() => fail('connected again: a new DTLS handshake'));

  // 1. Offers that change something else than ICE are refused, and change nothing.
  const same = (await booth.pc.createOffer()).sdp;
  await assert.rejects(harness.restart(boothId, same), /may only restart ICE/);
  const other = (await booth.pc.createOffer({ iceRestart: true })).sdp.replace(
    /a=fingerprint:sha-256 ([0-9A-F]{2})/g,
    (m, first) => `a=fingerprint:sha-256 ${first === '00' ? '01' : '00'}`);
  await assert.rejects(harness.restart(boothId, other), /fingerprint/);

  // 2. The booth's network changed: it restarts ICE.
  const started = Date.now();
  await booth.pc.setLocalDescription(await booth.pc.createOffer({ iceRestart: true }));
  const offer = booth.pc.localDescription.sdp;
  assert.notEqual(attribute(offer, 'ice-ufrag'), attribute(firstAnswer, 'ice-ufrag'));
  const answer = await harness.restart(boothId, offer);
  assert.notEqual(attribute(answer, 'ice-ufrag'), attribute(firstAnswer, 'ice-ufrag'));
  assert.notEqual(attribute(answer, 'ice-pwd'), attribute(firstAnswer, 'ice-pwd'));
  assert.equal(attribute(answer, 'fingerprint:sha-256'),
               attribute(firstAnswer, 'fingerprint:sha-256'));
  assert.equal(attribute(answer, 'setup'), attribute(firstAnswer, 'setup'));
  await booth.pc.setRemoteDescription({ type: 'answer', sdp: answer });

  // 3. A new pair is selected, whose checks the server answered with its new password.
  let pair;
  for (;;) {
    pair = await selectedPair(booth.pc);
    if (pair && pair.id !== firstPair.id && pair.responsesReceived > 0) break;
    if (Date.now() - started > 15000) fail(`no new selected pair: ${JSON.stringify(pair)}`);
    await sleep(100);
  }
  console.log(`new pair ${pair.id} (was ${firstPair.id}) selected ${Date.now() - started} ms ` +
              `after the restart, ${pair.responsesReceived} check responses`);
  assert.equal(booth.pc.iceConnectionState === 'failed', false);

  // 4. Media keeps flowing both ways on the new path, the call still whole.
  await mediaFlows(booth, agent, 'after the restart');
  await sleep(2000);
  await mediaFlows(booth, agent, 'two seconds later');

  // 5. The agent restarts too, and the booth a second time: still one call.
  await agent.pc.setLocalDescription(await agent.pc.createOffer({ iceRestart: true }));
  await agent.pc.setRemoteDescription(
    { type: 'answer', sdp: await harness.restart(agentId, agent.pc.localDescription.sdp) });
  await booth.pc.setLocalDescription(await booth.pc.createOffer({ iceRestart: true }));
  await booth.pc.setRemoteDescription(
    { type: 'answer', sdp: await harness.restart(boothId, booth.pc.localDescription.sdp) });
  await mediaFlows(booth, agent, 'after two more restarts');

  harness.send('STATS\n');
  const stats = await harness.expectLine((e) => e.line.startsWith('STATS'));
  assert.equal(stats.line.split(' ').slice(1, 3).join(' '), '2 1', stats.line);
  console.log(stats.line);
  harness.end();
  booth.close();
  agent.close();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}

main().catch((error) => fail(error.stack || String(error)));
