// Headless Chromium pages in a call through the media harness, for the connectivity tests
// (chromium_tcp_call.cjs, chromium_consent.cjs, ...): launch, join with the fake camera and
// microphone, and read what getStats() says about media and the selected ICE path.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const { signalProcessTree } = require('./processes.cjs');

// The tests change the network's filtering rules: only inside a namespace of their own, whose
// only interface is loopback (run.sh makes it with unshare -n).
function assertPrivateNetwork() {
  // /proc/net/dev lists this network namespace's interfaces (sysfs may show the host's).
  const interfaces = fs.readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)
    .map((line) => line.split(':')[0].trim()).filter(Boolean);
  if (interfaces.length !== 1 || interfaces[0] !== 'lo')
    throw new Error(`refusing to change nft rules outside a private namespace (${interfaces})`);
}

function nft(...args) {
  assertPrivateNetwork();
  execFileSync('nft', args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

// Traffic control (queues and rate limits) on the namespace's loopback.
function tc(...args) {
  assertPrivateNetwork();
  return execFileSync('tc', args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
}

// name marks the browser's command line, so that signal() finds its processes.
async function launch(name = 'chromium') {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>call</title>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
           '--allow-loopback-in-peer-connection', '--disable-features=LocalNetworkAccessChecks',
           `--vg-test-browser=${name}`],
  });
  const context = await browser.newContext();
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    browser,
    async page() {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    // Stops (SIGSTOP), resumes or kills every process of this browser: its pages fall silent
    // at once, without closing anything.
    signal(signalName) {
      signalProcessTree(`--vg-test-browser=${name}`, signalName);
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

// Offers audio and video (the fake camera: 640x480 unless video asks otherwise), joins through
// the harness, applies the answer (routed through an impaired link if one is given); the
// participant id.
async function join(harness, page, room, role, video = true, link = null) {
  const offer = await page.evaluate(async (video) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    const pc = new RTCPeerConnection();
    window.pc = pc;
    stream.getTracks().forEach((track) => pc.addTrack(track, stream));
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  }, video);
  const answer = await harness.join(room, role, offer);
  const sdp = link ? link.route(answer.sdp) : answer.sdp;
  await page.evaluate((remote) => window.pc.setRemoteDescription({ type: 'answer', sdp: remote }), sdp);
  return { id: answer.id, sdp: answer.sdp };
}

// Decoded video frames and received audio packets, and the selected candidate pair's local and
// remote candidates (protocol, address, port).
function stats(page) {
  return page.evaluate(async () => {
    const report = await window.pc.getStats();
    const result = { framesDecoded: 0, audioPackets: 0, videoBytes: 0 };
    let pairId;
    report.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        result.framesDecoded += r.framesDecoded || 0;
        result.videoBytes += r.bytesReceived || 0;
      }
      if (r.type === 'inbound-rtp' && r.kind === 'audio') result.audioPackets += r.packetsReceived || 0;
      if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
    });
    const pair = pairId && report.get(pairId);
    if (pair) {
      const candidate = (id) => {
        const c = report.get(id);
        return c && { protocol: c.protocol, address: c.address, port: c.port, type: c.candidateType,
                      tcpType: c.tcpType };
      };
      result.pair = { state: pair.state, local: candidate(pair.localCandidateId),
                      remote: candidate(pair.remoteCandidateId) };
    }
    return result;
  });
}

// Polls both pages until each decoded video and received audio, or fails after limitMs.
async function waitForMedia(pages, limitMs, fail) {
  const until = Date.now() + limitMs;
  for (;;) {
    const all = await Promise.all(pages.map(stats));
    if (all.every((s) => s.framesDecoded > 0 && s.audioPackets > 0)) return all;
    if (Date.now() > until) fail(`no media both ways: ${JSON.stringify(all)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The participants leave; resolves once the harness closed each of them.
async function leave(harness, ids) {
  harness.send(ids.map((id) => `LEAVE ${id}\n`).join(''));
  for (const id of ids) await harness.expectLine((e) => e.line === `CLOSED ${id} left`);
}

// A test that got this far passed: closes the browser and the harness, and says so.
async function pass(chromium, harness, deadline) {
  await chromium.close();
  harness.end();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}

module.exports = { launch, join, stats, waitForMedia, nft, tc, leave, pass };
