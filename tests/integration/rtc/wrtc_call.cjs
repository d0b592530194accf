// Two libwebrtc peers (npm @roamhq/wrtc: Google's WebRTC, as in Chromium) join one call through
// our media engine (vg_media_harness) and must each receive the other's audio and video:
// getStats() shows inbound video frames decoded and inbound audio packets on both sides. Then a
// peer whose SDP fingerprint does not match its certificate is refused, and leaving releases
// everything.
//   node wrtc_call.cjs PATH/TO/vg_media_harness
'use strict';
const { spawn } = require('node:child_process');
const assert = require('node:assert/strict');
const wrtc = require('@roamhq/wrtc');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 60000);

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// --- the harness: line protocol over stdin/stdout ---
const harness = spawn(harnessPath, ['--bind', '127.0.0.1:0', '--workers', '2'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
harness.on('exit', (code) => code && fail(`harness exited with ${code}`));
let buffer = '';
const waiters = [];
const lines = [];
function deliver(line, body) {
  const entry = { line, body };
  const index = waiters.findIndex((w) => w.match(entry));
  if (index >= 0) waiters.splice(index, 1)[0].resolve(entry);
  else lines.push(entry);
}
harness.stdout.setEncoding('utf8');
harness.stdout.on('data', (chunk) => {
  buffer += chunk;
  for (;;) {
    const end = buffer.indexOf('\n');
    if (end < 0) return;
    const line = buffer.slice(0, end);
    const answer = /^ANSWER \d+ (\d+)$/.exec(line);
    if (answer) {
      const length = Number(answer[1]);
      if (buffer.length < end + 1 + length) return;
      deliver(line, buffer.slice(end + 1, end + 1 + length));
      buffer = buffer.slice(end + 1 + length);
    } else {
      deliver(line, '');
      buffer = buffer.slice(end + 1);
    }
  }
});
function expectLine(predicate) {
  const index = lines.findIndex(predicate);
  if (index >= 0) return Promise.resolve(lines.splice(index, 1)[0]);
  return new Promise((resolve) => waiters.push({ match: predicate, resolve }));
}
const send = (text) => harness.stdin.write(text);

async function join(room, role, sdp) {
  // Answers come back in order on one worker per room; serialize joins to match them up.
  send(`JOIN ${room} ${role} ${Buffer.byteLength(sdp)}\n${sdp}`);
  const reply = await expectLine((e) => /^(ANSWER|ERROR) /.test(e.line));
  if (reply.line.startsWith('ERROR')) throw new Error(reply.line);
  return { id: reply.line.split(' ')[1], sdp: reply.body };
}

// --- a peer with synthetic camera and microphone ---
function makePeer(name) {
  const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
  const video = new wrtc.nonstandard.RTCVideoSource();
  const audio = new wrtc.nonstandard.RTCAudioSource();
  const stream = new wrtc.MediaStream();
  const videoTrack = video.createTrack();
  const audioTrack = audio.createTrack();
  stream.addTrack(audioTrack);
  stream.addTrack(videoTrack);
  pc.addTrack(audioTrack, stream);
  pc.addTrack(videoTrack, stream);
  const width = 320;
  const height = 240;
  const frame = { width, height, data: new Uint8ClampedArray(width * height * 1.5) };
  let tick = 0;
  const samples = new Int16Array(480);
  const timers = [
    setInterval(() => {
      tick++;
      frame.data.fill((tick * 7) % 255, 0, width * height);  // a changing luma plane
      video.onFrame(frame);
    }, 50),
    setInterval(() => {
      for (let i = 0; i < samples.length; i++) samples[i] = Math.sin((tick * 480 + i) / 10) * 8000;
      audio.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    }, 10),
  ];
  return {
    name,
    pc,
    close() {
      timers.forEach(clearInterval);
      videoTrack.stop();
      audioTrack.stop();
      pc.close();
    },
  };
}

async function inbound(pc) {
  const result = { videoFrames: 0, audioPackets: 0 };
  (await pc.getStats()).forEach((report) => {
    if (report.type !== 'inbound-rtp') return;
    const kind = report.kind || report.mediaType;
    if (kind === 'video') result.videoFrames += report.framesDecoded || 0;
    if (kind === 'audio') result.audioPackets += report.packetsReceived || 0;
  });
  return result;
}

async function connect(peer, room, role, mangle = (sdp) => sdp) {
  const offer = await peer.pc.createOffer();
  await peer.pc.setLocalDescription(offer);
  const { id, sdp } = await join(room, role, mangle(peer.pc.localDescription.sdp));
  await peer.pc.setRemoteDescription({ type: 'answer', sdp });
  return id;
}

async function main() {
  const ready = await expectLine((e) => e.line.startsWith('READY'));
  console.log(ready.line);

  // 1. A booth and an agent in one call session.
  const started = Date.now();
  const booth = makePeer('booth');
  const agent = makePeer('agent');
  const boothId = await connect(booth, 'call-1', 'booth');
  const agentId = await connect(agent, 'call-1', 'agent');
  await expectLine((e) => e.line === `CONNECTED ${boothId}`);
  await expectLine((e) => e.line === `CONNECTED ${agentId}`);
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
  send(`LEAVE ${boothId}\nLEAVE ${agentId}\n`);
  await expectLine((e) => e.line === `CLOSED ${boothId} left`);
  await expectLine((e) => e.line === `CLOSED ${agentId} left`);
  booth.close();
  agent.close();

  // 3. An offer whose fingerprint is not its certificate's: the transport is refused.
  const impostor = makePeer('impostor');
  const impostorId = await connect(impostor, 'call-2', 'booth', (sdp) =>
    sdp.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/g, (m, first) =>
      `a=fingerprint:sha-256 ${first === '00' ? '01' : '00'}`));
  const closed = await expectLine((e) => e.line.startsWith(`CLOSED ${impostorId} `));
  assert.match(closed.line, /fingerprint/);
  console.log(closed.line);
  impostor.close();

  send('STATS\n');
  const stats = await expectLine((e) => e.line.startsWith('STATS'));
  assert.equal(stats.line.split(' ').slice(1, 4).join(' '), '0 0 0', stats.line);
  console.log(`after the calls: ${stats.line}`);
  harness.stdin.end();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}

main().catch((error) => fail(error.stack || String(error)));
