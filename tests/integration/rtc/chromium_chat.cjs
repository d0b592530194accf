// Headless Chromium pages in one call through our media engine (vg_media_harness) chat on
// their `chat` data channels, as the booth and agent pages do: each page opens `chat` before
// its offer; the server relays each text message to every other page's `chat` channel (SCTP
// over DTLS, DCEP), ordered and whole, both ways at once. A third page (a supervisor) opens
// only a `notes` channel: the server opens `chat` toward it and it receives both sides.
//   node chromium_chat.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, leave, pass } = require('./chromium_pages.cjs');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 90000);
const count = 30;  // beyond the burst of 20: the rest goes at 4 a second (see below)
let chromium;

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (chromium) chromium.close().catch(() => {});
  process.exit(1);
}

const harness = startHarness(harnessPath, fail);

async function join(page, room, role, label = 'chat') {
  const offer = await page.evaluate(async (label) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const pc = new RTCPeerConnection();
    window.pc = pc;
    window.received = [];
    window.channels = [];
    const attach = (channel) => {
      window.channels.push(channel.label);
      channel.onmessage = (event) => window.received.push(String(event.data));
    };
    window.chat = pc.createDataChannel(label);
    attach(window.chat);
    pc.ondatachannel = (event) => attach(event.channel);
    stream.getTracks().forEach((track) => pc.addTrack(track, stream));
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  }, label);
  const answer = await harness.join(room, role, offer);
  await page.evaluate((sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), answer.sdp);
  return answer.id;
}

async function waitFor(page, predicate, arg, what) {
  const until = Date.now() + 20000;
  for (;;) {
    if (await page.evaluate(predicate, arg)) return;
    if (Date.now() > until) fail(`${what} (page state: ${JSON.stringify(await page.evaluate(
      () => ({ state: window.chat.readyState, channels: window.channels,
               received: window.received.length })))})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main() {
  await harness.expectLine((e) => e.line.startsWith('READY'));
  chromium = await launch();
  const booth = await chromium.page();
  const agent = await chromium.page();
  const supervisor = await chromium.page();
  const started = Date.now();
  const boothId = await join(booth, 'call-1', 'booth');
  const agentId = await join(agent, 'call-1', 'agent');
  const supervisorId = await join(supervisor, 'call-1', 'supervisor', 'notes');
  await harness.expectLine((e) => e.line === `CONNECTED ${boothId}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentId}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${supervisorId}`);
  const open = () => window.chat.readyState === 'open';
  await waitFor(booth, open, null, 'booth chat channel not open');
  await waitFor(agent, open, null, 'agent chat channel not open');
  await waitFor(supervisor, open, null, 'supervisor notes channel not open');
  console.log(`data channels open after ${Date.now() - started} ms`);

  // Both sides at once; a message with accents and an emoji checks the text survives as UTF-8,
  // and a long one that SCTP must split and join again. The server relays 5 chat messages a
  // second per participant with bursts of 20 (rtc/room/ChatRelay; what is beyond is dropped and
  // counted, ChatRelayTest): each page sends its first 20 at once, then 4 a second.
  const first = 'Bonjour, ça va ? 👋';
  const long = 'x'.repeat(20000) + 'fin';
  const sent = Date.now();
  const send = (page, who) => page.evaluate(async ({ who, count, first, long }) => {
    const texts = [first, ...Array.from({ length: count }, (_, i) => `${who} ${i}`), long];
    for (const [i, text] of texts.entries()) {
      if (i >= 20) await new Promise((resolve) => setTimeout(resolve, 250));
      window.chat.send(text);
    }
  }, { who, count, first, long });
  await Promise.all([send(booth, 'booth'), send(agent, 'agent')]);
  const total = count + 2;
  const all = (n) => window.received.length >= n;
  await waitFor(booth, all, total, `booth did not receive ${total} messages`);
  await waitFor(agent, all, total, `agent did not receive ${total} messages`);
  console.log(`${total} messages each way in ${Date.now() - sent} ms`);
  for (const [page, from, name] of [[booth, 'agent', 'booth'], [agent, 'booth', 'agent']]) {
    const received = await page.evaluate(() => window.received);
    const expected = [first, ...Array.from({ length: count }, (_, i) => `${from} ${i}`), long];
    if (received.length !== expected.length) fail(`${name} received ${received.length} messages`);
    expected.forEach((text, i) => {
      if (received[i] !== text)
        fail(`${name} message ${i}: ${JSON.stringify(received[i]).slice(0, 80)}, ` +
             `expected ${JSON.stringify(text).slice(0, 80)}`);
    });
    // The server answered on the page's own channel: it opened no second one.
    const channels = await page.evaluate(() => window.channels);
    if (channels.length !== 1) fail(`${name} has channels ${JSON.stringify(channels)}`);
  }
  // The supervisor got a `chat` channel from the server, and on it both sides in their order.
  await waitFor(supervisor, all, 2 * total, `supervisor did not receive ${2 * total} messages`);
  const channels = await supervisor.evaluate(() => window.channels);
  if (JSON.stringify(channels) !== '["notes","chat"]')
    fail(`supervisor has channels ${JSON.stringify(channels)}`);
  const seen = await supervisor.evaluate(() => window.received);
  for (const who of ['booth', 'agent']) {
    const mine = seen.filter((text) => text.startsWith(`${who} `));
    const expected = Array.from({ length: count }, (_, i) => `${who} ${i}`);
    if (JSON.stringify(mine) !== JSON.stringify(expected))
      fail(`supervisor received ${who}'s messages out of order or incomplete`);
  }

  // A page that closes its channel resets its stream; the server resets its side (RFC 8831
  // section 6.7), which is what lets the page's channel reach "closed".
  await booth.evaluate(() => window.chat.close());
  await waitFor(booth, () => window.chat.readyState === 'closed', null, 'booth channel not closed');

  await leave(harness, [boothId, agentId, supervisorId]);
  await pass(chromium, harness, deadline);
}

main().catch((error) => fail(error.stack || String(error)));
