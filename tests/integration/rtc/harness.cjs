// The media harness (vg_media_harness, MediaEngine alone) driven over its line protocol:
//   JOIN room role LENGTH\n<offer>  ->  ANSWER participant LENGTH\n<answer> | ERROR reason
//   ANSWER participant LENGTH\n<answer to a server offer>  ->  ACCEPTED participant | REFUSED ...
//   OFFER participant LENGTH\n<a later offer: ICE restart>  ->  ANSWER participant LENGTH\n<answer>
//                                                          | REFUSED participant reason
//   LEAVE participant; every other line it prints (events, OFFER participant LENGTH\n<offer>)
//   waits for expectLine.
'use strict';
const { spawn } = require('node:child_process');

// options: more command-line arguments for the harness (e.g. ['--consent-timeout-ms', '5000']).
function startHarness(path, fail, options = []) {
  const child = spawn(path, ['--bind', '127.0.0.1:0', '--workers', '2', ...options], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.on('exit', (code) => code && fail(`harness exited with ${code}`));
  let buffer = '';
  const waiters = [];
  const lines = [];
  function deliver(line, body) {
    const entry = { line, body };
    const index = waiters.findIndex((w) => w.match(entry));
    if (index >= 0) waiters.splice(index, 1)[0].resolve(entry);
    else lines.push(entry);
  }
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (;;) {
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      const line = buffer.slice(0, end);
      const answer = /^(?:ANSWER|OFFER) \d+ (\d+)$/.exec(line);
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
  function expectLine(match) {
    const index = lines.findIndex(match);
    if (index >= 0) return Promise.resolve(lines.splice(index, 1)[0]);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  }
  const send = (text) => child.stdin.write(text);
  // Answers come back in order on one worker per room: callers join one at a time.
  async function join(room, role, sdp) {
    send(`JOIN ${room} ${role} ${Buffer.byteLength(sdp)}\n${sdp}`);
    const reply = await expectLine((e) => /^(ANSWER|ERROR) /.test(e.line));
    if (reply.line.startsWith('ERROR')) throw new Error(reply.line);
    return { id: reply.line.split(' ')[1], sdp: reply.body };
  }
  // The browser's answer to a server offer.
  async function answer(id, sdp) {
    send(`ANSWER ${id} ${Buffer.byteLength(sdp)}\n${sdp}`);
    const reply = await expectLine((e) => e.line === `ACCEPTED ${id}` ||
                                          e.line.startsWith(`REFUSED ${id} `));
    if (reply.line.startsWith('REFUSED')) throw new Error(reply.line);
  }
  // The browser's later offer (an ICE restart): our answer, or an Error with the refusal.
  async function restart(id, sdp) {
    send(`OFFER ${id} ${Buffer.byteLength(sdp)}\n${sdp}`);
    const reply = await expectLine((e) => e.line.startsWith(`ANSWER ${id} `) ||
                                          e.line.startsWith(`REFUSED ${id} `));
    if (reply.line.startsWith('REFUSED')) throw new Error(reply.line);
    return reply.body;
  }
  return { expectLine, join, answer, restart, send, end: () => child.stdin.end() };
}

module.exports = { startHarness };
