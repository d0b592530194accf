// TURN with the credentials of the join answer: a real coturn (Debian's turnserver, use-auth-secret
// with the server's turn_secret) relays a call between two libwebrtc peers (@roamhq/wrtc) that may
// only use relayed candidates, to our media server. A credential signed with another secret gets no
// relay at all, so the call's success proves coturn checked ours.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import dgram from 'node:dgram';
import {createWriteStream, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';

import {createCallSessionThroughApi} from '../lib/callSession.js';
import {createDatabase} from '../lib/database.js';
import {startServer} from '../lib/server.js';

const {makePeer, inbound} = createRequire(import.meta.url)(
    '../../integration/rtc/wrtc_peer.cjs');

const artifacts = process.env.VG_E2E_ARTIFACTS || join(import.meta.dirname, '..', 'artifacts');
const TURN_PORT = 3478;
const TURN_URI = `turn:127.0.0.1:${TURN_PORT}?transport=udp`;
const TURN_SECRET = 'e2e-turn-shared-secret-0123456789';

let database;
let server;
let turn;
let turnDir;

// A STUN binding request answered means coturn is listening.
async function waitForTurnServer() {
  const socket = dgram.createSocket('udp4');
  const answered = new Promise((resolve) => socket.once('message', resolve));
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0);
  request.writeUInt32BE(0x2112a442, 4);
  try {
    for (let i = 0; i < 100; ++i) {
      socket.send(request, TURN_PORT, '127.0.0.1');
      if (await Promise.race([answered.then(() => true), sleep(100).then(() => false)])) return;
    }
    throw new Error('coturn did not answer a STUN binding request within 10 s');
  } finally {
    socket.close();
  }
}

before(async () => {
  turnDir = mkdtempSync(join(tmpdir(), 'vg-e2e-turn-'));
  turn = spawn('turnserver', [
    `--pidfile=${join(turnDir, 'turnserver.pid')}`, `--userdb=${join(turnDir, 'turndb')}`,
    '-n', '--no-cli', '--no-tls', '--no-dtls', '--fingerprint', '--log-file=stdout',
    '--listening-ip=127.0.0.1', `--listening-port=${TURN_PORT}`, '--relay-ip=127.0.0.1',
    '--use-auth-secret', `--static-auth-secret=${TURN_SECRET}`, '--realm=visioguichet',
    // The media server is on loopback here; deploy/coturn.conf keeps coturn's refusal of it.
    '--allow-loopback-peers',
  ], {stdio: ['ignore', 'pipe', 'pipe']});
  const log = createWriteStream(join(artifacts, 'turnserver.log'));
  turn.stdout.pipe(log);
  turn.stderr.pipe(log);
  await waitForTurnServer();
  database = createDatabase();
  server = await startServer({
    databaseUrl: database.url,
    artifacts,
    env: {VISIOGUICHET_TURN_URIS: TURN_URI, VISIOGUICHET_TURN_SECRET: TURN_SECRET},
  });
});

after(async () => {
  await server?.stop();
  database?.drop();
  turn?.kill('SIGTERM');
  if (turnDir) rmSync(turnDir, {recursive: true, force: true});
  // libwebrtc's threads keep node alive for about 20 s after the last peer closed.
  setTimeout(() => process.exit(), 1000).unref();
});

// Joins the call on the signaling WebSocket (CONTRACT.md) and answers the server's re-offers.
async function joinCall(peer, joinAnswer) {
  const socket = new WebSocket(joinAnswer.signaling_url);
  const messages = [];
  let wake = () => {};
  socket.onmessage = async (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'offer') {
      await peer.pc.setRemoteDescription({type: 'offer', sdp: message.sdp});
      await peer.pc.setLocalDescription(await peer.pc.createAnswer());
      socket.send(JSON.stringify({type: 'answer', sdp: peer.pc.localDescription.sdp}));
      return;
    }
    messages.push(message);
    wake();
  };
  const next = async (type) => {
    for (const deadline = Date.now() + 15000; Date.now() < deadline;) {
      const index = messages.findIndex((m) => m.type === type || m.type === 'error');
      if (index >= 0) {
        const message = messages.splice(index, 1)[0];
        assert.equal(message.type, type, `${peer.name}: ${JSON.stringify(message)}`);
        return message;
      }
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
    throw new Error(`${peer.name}: no ${type} message within 15 s`);
  };
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`${peer.name}: signaling WebSocket failed`));
  });
  socket.send(JSON.stringify({type: 'join', join_token: joinAnswer.join_token}));
  await next('joined');
  await peer.pc.setLocalDescription(await peer.pc.createOffer());
  socket.send(JSON.stringify({type: 'offer', sdp: peer.pc.localDescription.sdp}));
  await peer.pc.setRemoteDescription({type: 'answer', sdp: (await next('answer')).sdp});
  return socket;
}

// The local candidate type of the pair in use ('relay' through coturn).
async function selectedLocalCandidateType(pc) {
  const reports = [...(await pc.getStats()).values()];
  const transport = reports.find((r) => r.type === 'transport' && r.selectedCandidatePairId);
  const pair = transport ? reports.find((r) => r.id === transport.selectedCandidatePairId)
                         : reports.find((r) => r.type === 'candidate-pair' && r.nominated &&
                                               r.state === 'succeeded');
  const local = pair && reports.find((r) => r.id === pair.localCandidateId);
  return local?.candidateType;
}

test('a call relayed by coturn with the join answer\'s TURN credentials', {timeout: 90000},
     async () => {
  const session = await createCallSessionThroughApi(server);
  for (const side of [session.booth, session.agent]) {
    assert.equal(side.ice_servers.length, 1);
    const [entry] = side.ice_servers;
    assert.deepEqual(entry.urls, [TURN_URI]);
    const expiry = Number(entry.username.split(':')[0]);
    const lifetime = expiry - Date.now() / 1000;
    assert.ok(lifetime > 3500 && lifetime <= 3600, `credentials live ${lifetime} s`);
    assert.match(entry.username, new RegExp(`^\\d+:${session.sessionId}:(booth|agent)$`));
  }

  const relayOnly = (side) => ({iceServers: side.ice_servers, iceTransportPolicy: 'relay'});
  const booth = makePeer('booth', relayOnly(session.booth));
  const agent = makePeer('agent', relayOnly(session.agent));
  const sockets = [await joinCall(booth, session.booth), await joinCall(agent, session.agent)];
  try {
    let last;
    for (const deadline = Date.now() + 40000; Date.now() < deadline;) {
      last = await Promise.all([inbound(booth.pc), inbound(agent.pc)]);
      if (last.every((s) => s.videoFrames >= 20 && s.audioPackets >= 40)) break;
      await sleep(250);
    }
    console.log(`received through coturn: booth ${JSON.stringify(last[0])}, ` +
                `agent ${JSON.stringify(last[1])}`);
    for (const [i, peer] of [booth, agent].entries()) {
      assert.ok(last[i].videoFrames >= 20, `${peer.name} decoded ${last[i].videoFrames} frames`);
      assert.ok(last[i].audioPackets >= 40, `${peer.name} got ${last[i].audioPackets} packets`);
      assert.equal(await selectedLocalCandidateType(peer.pc), 'relay', `${peer.name}'s path`);
    }
  } finally {
    sockets.forEach((socket) => socket.close());
    booth.close();
    agent.close();
  }
});

test('coturn refuses a credential made with another secret', {timeout: 30000}, async () => {
  const session = await createCallSessionThroughApi(server);
  const [entry] = session.booth.ice_servers;
  const forged = {...entry, credential: Buffer.alloc(20, 7).toString('base64')};
  const peer = makePeer('forged', {iceServers: [forged], iceTransportPolicy: 'relay'});
  try {
    const relayed = [];
    peer.pc.onicecandidate = (event) => event.candidate && relayed.push(event.candidate.candidate);
    const gathered = new Promise((resolve) => {
      peer.pc.onicegatheringstatechange = () =>
          peer.pc.iceGatheringState === 'complete' && resolve();
    });
    await peer.pc.setLocalDescription(await peer.pc.createOffer());
    await Promise.race([gathered, sleep(20000)]);
    assert.equal(peer.pc.iceGatheringState, 'complete');
    assert.deepEqual(relayed, [], 'a relay candidate was allocated with a forged credential');
  } finally {
    peer.close();
  }
});
