// One round of the peer-SFU benchmark (bench/janus/run.sh): N one-to-one calls of libwebrtc peers
// (npm @roamhq/wrtc, 320x240 20 fps VP8 + Opus, both directions) through one SFU, either our
// server (REST API call sessions, /rtc/v1 signaling) or Janus (VideoRoom over its HTTP API: per
// call a room, two publishers, each subscribing to the other). After every receiver decodes video
// and a warm-up, it reads the SFU's CPU time (utime + stime of /proc/PID/stat) and the packets
// the receivers got (inbound-rtp packetsReceived, audio + video, summed) at the start and end of
// the window, and prints one line: RESULT {json}.
//   node --experimental-websocket load.mjs --target ours|janus --url URL --pid PID
//        [--admin-key KEY] [--pairs 2] [--seconds 10] [--warmup 5]
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {setTimeout as sleep} from 'node:timers/promises';

import {createCallSessionThroughApi} from '../../tests/e2e/lib/callSession.js';
import {CallClient} from '../../web/shared/signaling.js';

const require = createRequire(import.meta.url);
const wrtc = require('@roamhq/wrtc');

const options = {pairs: '2', seconds: '10', warmup: '5'};
for (let i = 2; i < process.argv.length; i += 2) {
  options[process.argv[i].replace(/^--/, '').replace(/-(.)/g, (m, c) => c.toUpperCase())] =
      process.argv[i + 1];
}
const pairs = Number(options.pairs);
const seconds = Number(options.seconds);
const warmup = Number(options.warmup);
const sfuPid = Number(options.pid);
if (!['ours', 'janus'].includes(options.target) || !options.url || !sfuPid || !(pairs >= 1) ||
    pairs > 20 || !(seconds >= 1) || seconds > 300) {
  console.error('usage: load.mjs --target ours|janus --url URL --pid PID [--admin-key KEY] ' +
                '[--pairs 1-20] [--seconds 1-300] [--warmup S]');
  process.exit(2);
}
const SETUP_TIMEOUT_MS = 30000 + pairs * 5000;
setTimeout(() => fail('timed out'), SETUP_TIMEOUT_MS + (warmup + seconds + 10) * 1000).unref();

function fail(message) {
  console.error(`FAIL (${options.target}): ${message}`);
  process.exit(1);
}

// --- media: a textured picture that scrolls, so the encoder sends realistic frames ---
const WIDTH = 320;
const HEIGHT = 240;
const FRAMES = Array.from({length: 40}, (unused, n) => {
  const data = new Uint8ClampedArray(WIDTH * HEIGHT * 1.5);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      data[y * WIDTH + x] = ((x + n * 4) ^ (y * 3)) & 0xff;
    }
  }
  data.fill(128, WIDTH * HEIGHT);
  return {width: WIDTH, height: HEIGHT, data};
});

function syntheticStream() {
  const video = new wrtc.nonstandard.RTCVideoSource();
  const audio = new wrtc.nonstandard.RTCAudioSource();
  const stream = new wrtc.MediaStream();
  stream.addTrack(audio.createTrack());
  stream.addTrack(video.createTrack());
  const samples = new Int16Array(480);
  let tick = 0;
  const timers = [
    setInterval(() => video.onFrame(FRAMES[tick++ % FRAMES.length]), 50),
    setInterval(() => {
      for (let i = 0; i < samples.length; i++) samples[i] = Math.sin((tick * 480 + i) / 10) * 8000;
      audio.onData({samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1,
                    numberOfFrames: 480});
    }, 10),
  ];
  return {
    stream,
    stop() {
      timers.forEach(clearInterval);
      stream.getTracks().forEach((track) => track.stop());
    },
  };
}

// Resolves once ICE gathering is complete, so the SDP carries the candidates (Janus half-trickle).
function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => pc.iceGatheringState === 'complete' && resolve();
    pc.addEventListener('icegatheringstatechange', check);
    pc.addEventListener('icecandidate', (e) => e.candidate || resolve());
  });
}

// --- our server: each call a call session made through the REST API, joined by CallClient ---
async function startOurs() {
  globalThis.MediaStream = wrtc.MediaStream;
  const server = {baseUrl: options.url, adminKey: options.adminKey};
  const peers = [];
  for (let i = 0; i < pairs; i++) {
    const session = await createCallSessionThroughApi(server);
    for (const join of [session.booth, session.agent]) {
      const media = syntheticStream();
      const call = new CallClient({
        signalingUrl: new URL(join.signaling_url, options.url).href, joinToken: join.join_token,
        iceServers: [], localStream: media.stream, RTCPeerConnectionImpl: wrtc.RTCPeerConnection,
      });
      call.addEventListener('error', (e) => console.error(`signaling error: ${e.detail.message}`));
      call.addEventListener('reconnecting', (e) => console.error(`reconnecting: ${e.detail.reason}`));
      await call.start();
      peers.push({
        senders: () => [call.pc].filter(Boolean),
        receivers: () => [call.pc].filter(Boolean),
        sdp: () => call.pc?.remoteDescription?.sdp || '',
        close() {
          call.leave();
          media.stop();
        },
      });
    }
  }
  return peers;
}

// --- Janus: VideoRoom over the HTTP API, one session, events from its long poll ---
function janusClient(base) {
  let sessionUrl = null;
  const waiters = [];
  const pending = [];
  let polling = true;
  const transaction = () => Math.random().toString(36).slice(2);

  async function post(url, body) {
    const id = transaction();
    const response = await fetch(url, {method: 'POST', body: JSON.stringify(
        {...body, transaction: id})});
    const reply = await response.json();
    if (reply.janus === 'error') throw new Error(`janus: ${JSON.stringify(reply.error)}`);
    return {...reply, transaction: id};
  }
  function deliver(event) {
    const index = waiters.findIndex((w) => w.match(event));
    if (index >= 0) waiters.splice(index, 1)[0].resolve(event);
    else if (pending.length < 1000) pending.push(event);
  }
  async function poll() {
    while (polling) {
      try {
        const response = await fetch(`${sessionUrl}?maxev=20`);
        const events = await response.json();
        (Array.isArray(events) ? events : [events]).forEach(deliver);
      } catch (error) {
        if (polling) console.error(`janus poll: ${error}`);
        await sleep(100);
      }
    }
  }
  function expect(match, timeoutMs = 15000) {
    const index = pending.findIndex(match);
    if (index >= 0) return Promise.resolve(pending.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {match, resolve};
      waiters.push(waiter);
      setTimeout(() => {
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        reject(new Error('janus: no answer in time'));
      }, timeoutMs).unref();
    });
  }

  return {
    async connect() {
      sessionUrl = `${base}/${(await post(base, {janus: 'create'})).data.id}`;
      poll();
    },
    async attach() {
      const handle = (await post(sessionUrl, {janus: 'attach',
                                             plugin: 'janus.plugin.videoroom'})).data.id;
      const url = `${sessionUrl}/${handle}`;
      return {
        // A request the plugin answers at once (create) or with an event (join, configure...).
        async request(body, jsep) {
          const reply = await post(url, {janus: 'message', body, ...(jsep ? {jsep} : {})});
          if (reply.janus === 'success') return reply.plugindata.data;
          // The plugin's event for a request carries that request's transaction.
          const event = await expect((e) => e.transaction === reply.transaction && e.plugindata);
          const data = event.plugindata.data;
          if (data.error) throw new Error(`janus videoroom: ${data.error}`);
          return {...data, jsep: event.jsep};
        },
      };
    },
    close() {
      polling = false;
      return post(sessionUrl, {janus: 'destroy'});
    },
  };
}

async function startJanus() {
  const janus = janusClient(options.url);
  await janus.connect();
  const peers = [];
  const admin = await janus.attach();
  for (let i = 0; i < pairs; i++) {
    const {room} = await admin.request({request: 'create', publishers: 2, videocodec: 'vp8',
                                        audiocodec: 'opus', bitrate: 0});
    const publishers = [];
    for (const side of ['booth', 'agent']) {
      const handle = await janus.attach();
      const joined = await handle.request({request: 'join', ptype: 'publisher', room,
                                           display: side});
      const media = syntheticStream();
      const pc = new wrtc.RTCPeerConnection({iceServers: [], bundlePolicy: 'max-bundle'});
      media.stream.getTracks().forEach((track) => pc.addTrack(track, media.stream));
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const answer = await handle.request({request: 'configure', audio: true, video: true},
                                          {type: 'offer', sdp: pc.localDescription.sdp});
      await pc.setRemoteDescription(answer.jsep);
      publishers.push({id: joined.id, pc, media});
    }
    // Each side subscribes to the other's feed.
    for (const [me, other] of [[publishers[0], publishers[1]], [publishers[1], publishers[0]]]) {
      const handle = await janus.attach();
      // The feed exists once the publisher's media is up: retry until then.
      let attached;
      for (let attempt = 0; !attached; attempt++) {
        attached = await handle.request({request: 'join', ptype: 'subscriber', room,
                                         streams: [{feed: other.id}]}).catch((error) => {
          if (attempt > 40 || !/No such feed/.test(error.message)) throw error;
          return sleep(250);
        });
      }
      const pc = new wrtc.RTCPeerConnection({iceServers: [], bundlePolicy: 'max-bundle'});
      await pc.setRemoteDescription(attached.jsep);
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      await handle.request({request: 'start'}, {type: 'answer', sdp: pc.localDescription.sdp});
      peers.push({
        senders: () => [me.pc],
        receivers: () => [pc],
        sdp: () => `${me.pc.remoteDescription.sdp}${pc.remoteDescription.sdp}`,
        close() {
          pc.close();
          me.pc.close();
          me.media.stop();
        },
      });
    }
  }
  return {peers, close: () => janus.close()};
}

// --- measurement ---
const TICKS = 100;  // USER_HZ on Linux
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;  // utime, stime
}

// Sums over every peer what the SFU forwarded to it and the feedback traffic around it.
async function totals(peers) {
  const sum = {packets: 0, videoPackets: 0, framesDecoded: 0, bytes: 0, nackSent: 0,
               nackReceived: 0, pliSent: 0, retransmitted: 0, rtpSent: 0, transportReceived: 0,
               transportSent: 0, minFrames: Infinity, srtpCiphers: new Set(), frames: []};
  const seen = new Set();
  for (const peer of peers) {
    let frames = 0;
    for (const pc of peer.receivers()) {
      (await pc.getStats()).forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        sum.packets += r.packetsReceived || 0;
        sum.bytes += r.bytesReceived || 0;
        sum.nackSent += r.nackCount || 0;
        sum.pliSent += r.pliCount || 0;
        if ((r.kind || r.mediaType) === 'video') {
          sum.videoPackets += r.packetsReceived || 0;
          frames += r.framesDecoded || 0;
        }
      });
    }
    for (const pc of peer.senders()) {
      (await pc.getStats()).forEach((r) => {
        if (r.type !== 'outbound-rtp') return;
        sum.nackReceived += r.nackCount || 0;
        sum.retransmitted += r.retransmittedPacketsSent || 0;
        sum.rtpSent += r.packetsSent || 0;
      });
    }
    // Everything on the wire, each peer connection once (ours sends and receives on one).
    for (const pc of [...peer.receivers(), ...peer.senders()]) {
      if (seen.has(pc)) continue;
      seen.add(pc);
      (await pc.getStats()).forEach((r) => {
        if (r.type !== 'transport') return;
        sum.transportReceived += r.packetsReceived || 0;
        sum.transportSent += r.packetsSent || 0;
        if (r.srtpCipher) sum.srtpCiphers.add(r.srtpCipher);
      });
    }
    sum.framesDecoded += frames;
    sum.frames.push(frames);
    sum.minFrames = Math.min(sum.minFrames, peer.receivers().length ? frames : 0);
  }
  return sum;
}

// What the SFU's SDP offered or answered.
const FEEDBACK = {'transport-cc': /a=rtcp-fb:\d+ transport-cc/, 'nack': /a=rtcp-fb:\d+ nack\r?\n/,
                  'nack pli': /a=rtcp-fb:\d+ nack pli/, 'goog-remb': /a=rtcp-fb:\d+ goog-remb/,
                  'rtx': /a=rtpmap:\d+ rtx\/90000/};

async function main() {
  const started = Date.now();
  let peers;
  let close = () => {};
  if (options.target === 'ours') {
    peers = await startOurs();
  } else {
    ({peers, close} = await startJanus());
  }
  for (;;) {
    if ((await totals(peers)).minFrames > 0) break;
    if (Date.now() - started > SETUP_TIMEOUT_MS) fail('not every receiver decoded video');
    await sleep(250);
  }
  const connectedMs = Date.now() - started;
  await sleep(warmup * 1000);

  const before = await totals(peers);
  const cpu0 = cpuSeconds(sfuPid);
  const self0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const cpu1 = cpuSeconds(sfuPid);
  const self1 = process.cpuUsage(self0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = await totals(peers);

  const delta = (key) => after[key] - before[key];
  const packets = delta('packets');
  const sdp = peers.map((p) => p.sdp()).join('');
  const result = {
    target: options.target,
    pairs,
    seconds: Number(wall.toFixed(2)),
    connected_ms: connectedMs,
    sfu_cpu_s: Number((cpu1 - cpu0).toFixed(2)),
    forwarded_packets: packets,
    forwarded_per_s: Math.round(packets / wall),
    us_per_packet: packets ? Number(((cpu1 - cpu0) * 1e6 / packets).toFixed(1)) : null,
    video_packets: delta('videoPackets'),
    kbit_per_s_per_stream: Math.round(delta('bytes') * 8 / wall / 1000 / (pairs * 2)),
    frames_per_s_per_receiver: Number((delta('framesDecoded') / wall / (pairs * 2)).toFixed(1)),
    slowest_receiver_fps: Number((Math.min(...after.frames.map((f, i) => f - before.frames[i])) /
                                  wall).toFixed(1)),
    // Feedback the peers exchanged through the SFU in the window.
    nacks_sent_by_receivers: delta('nackSent'),
    nacks_received_by_senders: delta('nackReceived'),
    plis_sent_by_receivers: delta('pliSent'),
    retransmissions_sent: delta('retransmitted'),
    // Packets on the peers' transports beyond the RTP counted above: RTCP (SR, RR, NACK, PLI,
    // transport-cc feedback, REMB), RTX, STUN consent checks; sent and received by the peers.
    non_rtp_packets_received: delta('transportReceived') - packets,
    non_rtp_packets_sent: delta('transportSent') - delta('rtpSent'),
    srtp: [...after.srtpCiphers],
    negotiated: Object.entries(FEEDBACK).filter(([, re]) => re.test(sdp)).map(([name]) => name),
    load_cpu_s: Number(((self1.user + self1.system) / 1e6).toFixed(2)),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  peers.forEach((p) => p.close());
  await close();
  await sleep(500);
  process.exit(0);
}

main().catch((error) => fail(error.stack || String(error)));
