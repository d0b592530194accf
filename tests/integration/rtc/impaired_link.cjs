// A UDP link with loss and delay between the browsers and the media server, in user space: this
// kernel has no netem (../shared/TESTING.md). Each datagram, in either direction, is lost with
// probability lossPercent and otherwise delivered delayMs later, in order: what netem on both
// ends of a veth pair would do. route() points an SDP answer's UDP candidate at the link, which
// then relays each browser's datagrams from a socket of its own.
'use strict';
const dgram = require('node:dgram');

const maxBrowsers = 8;

async function startLink() {
  const front = dgram.createSocket('udp4');
  await new Promise((resolve) => front.bind(0, '127.0.0.1', resolve));
  const impairment = { lossPercent: 0, delayMs: 0 };
  const counts = { delivered: 0, lost: 0 };
  const upstreams = new Map();  // a browser's "address:port" -> its socket toward the server
  let server;

  const pass = (send) => {
    if (Math.random() * 100 < impairment.lossPercent) {
      counts.lost += 1;
      return;
    }
    counts.delivered += 1;
    if (impairment.delayMs > 0) setTimeout(send, impairment.delayMs);
    else send();
  };
  front.on('message', (data, from) => {
    if (!server) return;
    const key = `${from.address}:${from.port}`;
    let upstream = upstreams.get(key);
    if (!upstream) {
      if (upstreams.size >= maxBrowsers) return;
      upstream = dgram.createSocket('udp4');
      upstream.bind(0, '127.0.0.1');
      upstream.on('message', (reply) => pass(() => front.send(reply, from.port, from.address)));
      upstreams.set(key, upstream);
    }
    pass(() => upstream.send(data, server.port, server.address));
  });

  return {
    counts,
    impair(lossPercent, delayMs) {
      impairment.lossPercent = lossPercent;
      impairment.delayMs = delayMs;
    },
    // The answer with its UDP host candidate on the link's port, and no TCP candidate, so that
    // every path goes through the link.
    route(sdp) {
      return sdp.split('\r\n').flatMap((line) => {
        const candidate = /^(a=candidate:\S+ \d+ )(udp|tcp) (\d+) (\S+) (\d+)( .*)$/i.exec(line);
        if (!candidate) return [line];
        if (candidate[2].toLowerCase() === 'tcp') return [];
        server = server || { address: candidate[4], port: Number(candidate[5]) };
        const [, head, protocol, priority, , , tail] = candidate;
        return [`${head}${protocol} ${priority} 127.0.0.1 ${front.address().port}${tail}`];
      }).join('\r\n');
    },
    close() {
      front.close();
      for (const upstream of upstreams.values()) upstream.close();
    },
  };
}

module.exports = { startLink };
