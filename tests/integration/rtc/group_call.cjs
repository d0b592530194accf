// The group call scenario of the media tests, for any WebRTC peer: three participants join one
// call through our media engine (vg_media_harness); the server re-offers as participants come and
// go, each peer answers like a browser, and each must receive the other two participants' audio
// and video (getStats: one inbound-rtp per remote track with packets and decoded frames). When
// one leaves, the other two get a re-offer that stops its tracks and keep their media; a
// newcomer's tracks reuse the leaver's sections instead of adding new ones.
//   makePeer(name) -> {name, join(harness, room) -> participant id, answer(offerSdp) -> sdp,
//                      inbound(), close()}
//   where inbound() lists {kind, ssrc, packets, frames} per inbound RTP stream.
'use strict';
const assert = require('node:assert/strict');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Joins like signaling.js does, then answers every server offer in turn; offers[] keeps them.
async function joinCall(harness, makePeer, fail, name) {
  const peer = await makePeer(name);
  const id = await peer.join(harness, 'group');
  peer.id = id;
  peer.offers = [];
  peer.gone = false;
  (async () => {
    while (!peer.gone) {
      const offer = await harness.expectLine((e) => e.line.startsWith(`OFFER ${id} `));
      if (peer.gone) return;
      await harness.answer(id, await peer.answer(offer.body));
      peer.offers.push(offer.body);
    }
  })().catch((error) => peer.gone || fail(`${name}: ${error.stack || error}`));
  return peer;
}

// The m-lines of an SDP: {kind, direction, ssrcs}.
function sections(sdp) {
  return sdp.split(/\r\n(?=m=)/).slice(1).map((text) => ({
    kind: /^m=(\w+)/.exec(text)[1],
    direction: (/a=(sendrecv|sendonly|recvonly|inactive)/.exec(text) || [])[1],
    ssrcs: (text.match(/^a=ssrc:\d+ /gm) || []).length,
  }));
}
const sent = (sdp) => sections(sdp).filter((s) => s.kind !== 'application' && s.ssrcs > 0 &&
                                                  /send/.test(s.direction));

// The streams whose packets (audio) or decoded frames (video) grew since `before`.
function growing(before, after, kind) {
  return after.filter((s) => {
    const b = before.find((old) => old.ssrc === s.ssrc) || { packets: 0, frames: 0 };
    return s.kind === kind && (kind === 'audio' ? s.packets > b.packets : s.frames > b.frames);
  }).length;
}

// Waits until every peer has, per kind, `senders` inbound streams whose media grew since the
// snapshot `since` (one list per peer; a new peer has none).
async function waitForMedia(fail, peers, senders, label, since = []) {
  const started = Date.now();
  for (;;) {
    const all = await Promise.all(peers.map((p) => p.inbound()));
    const ok = all.every((streams, i) => growing(since[i] || [], streams, 'audio') >= senders &&
                                         growing(since[i] || [], streams, 'video') >= senders);
    if (ok) {
      console.log(`${label}: after ${Date.now() - started} ms ` +
                  peers.map((p, i) => `${p.name} ${JSON.stringify(all[i])}`).join('; '));
      return all;
    }
    if (Date.now() - started > 30000) {
      fail(`${label}: ` + peers.map((p, i) => `${p.name} ${JSON.stringify(all[i])}`).join('; '));
    }
    await sleep(200);
  }
}

async function runGroupCall(harness, makePeer, fail) {
  await harness.expectLine((e) => e.line.startsWith('READY'));
  const join = (name) => joinCall(harness, makePeer, fail, name);

  // 1. Three participants, one after the other: each receives the other two.
  const booth = await join('booth');
  const agent = await join('agent');
  const interpreter = await join('interpreter');
  await waitForMedia(fail, [booth, agent, interpreter], 2, 'three participants');
  for (const peer of [booth, agent, interpreter]) {
    const last = peer.offers[peer.offers.length - 1];
    assert.ok(last, `${peer.name} got no server offer`);
    assert.equal(sent(last).length, 4, `${peer.name} is sent 4 tracks:\n${last}`);
  }

  // 2. The interpreter leaves: the others get an offer without its tracks and keep their media.
  const offersBefore = [booth.offers.length, agent.offers.length];
  const linesBefore = sections(booth.offers[booth.offers.length - 1]).length;
  interpreter.gone = true;
  harness.send(`LEAVE ${interpreter.id}\n`);
  await harness.expectLine((e) => e.line === `CLOSED ${interpreter.id} left`);
  interpreter.close();
  while (booth.offers.length === offersBefore[0] || agent.offers.length === offersBefore[1]) {
    await sleep(50);
  }
  for (const peer of [booth, agent]) {
    const offer = sections(peer.offers[peer.offers.length - 1]);
    assert.equal(offer.filter((s) => s.ssrcs > 0 && /send/.test(s.direction)).length, 2,
                 `${peer.name} is sent 2 tracks after the leave`);
    assert.equal(offer.filter((s) => s.direction === 'inactive').length, 2,
                 `${peer.name}: the leaver's 2 sections go inactive`);
  }
  const before = await Promise.all([booth, agent].map((p) => p.inbound()));
  await sleep(1500);
  const after = await Promise.all([booth, agent].map((p) => p.inbound()));
  for (let i = 0; i < 2; i++) {
    assert.equal(growing(before[i], after[i], 'audio'), 1, `audio still flows ${i}`);
    assert.equal(growing(before[i], after[i], 'video'), 1, `video still flows ${i}`);
  }
  console.log('after the leave: booth and agent each receive one audio and one video stream');

  // 3. A newcomer takes the leaver's sections: the booth's and agent's offers do not grow.
  const answeredBefore = [booth.offers.length, agent.offers.length];
  const supervisor = await join('supervisor');
  while (booth.offers.length === answeredBefore[0] || agent.offers.length === answeredBefore[1]) {
    await sleep(50);
  }
  const settled = await Promise.all([booth, agent].map((p) => p.inbound()));
  await waitForMedia(fail, [booth, agent, supervisor], 2, 'with the newcomer', settled);
  for (const peer of [booth, agent]) {
    const last = peer.offers[peer.offers.length - 1];
    assert.equal(sections(last).length, linesBefore, `${peer.name}'s sections were reused`);
    assert.equal(sent(last).length, 4);
  }

  for (const peer of [booth, agent, supervisor]) {
    peer.gone = true;
    harness.send(`LEAVE ${peer.id}\n`);
    await harness.expectLine((e) => e.line === `CLOSED ${peer.id} left`);
    peer.close();
  }
  harness.send('STATS\n');
  const stats = await harness.expectLine((e) => e.line.startsWith('STATS'));
  assert.equal(stats.line.split(' ').slice(1, 4).join(' '), '0 0 0', stats.line);
}

module.exports = { runGroupCall };
