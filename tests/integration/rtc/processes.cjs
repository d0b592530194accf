// Freezing or killing one browser among several, as a machine that loses power would: every
// process of the browser whose command line holds a marker (its --user-data-dir, or a switch
// given at launch for that purpose), found through /proc. Used by the media tests here and by
// tests/e2e.
'use strict';
const fs = require('node:fs');

// pid and every process below it.
function descendants(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  const found = [pid];
  for (let i = 0; i < found.length; ++i)
    for (const [child, parent] of parents) if (parent === found[i]) found.push(child);
  return found;
}

// Sends signal ('SIGSTOP', 'SIGCONT', 'SIGKILL') to the first process below this one whose
// command line holds marker, and to all its descendants. Throws when there is none.
function signalProcessTree(marker, signal) {
  const main = descendants(process.pid).find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
    } catch { return false; }
  });
  if (!main) throw new Error(`no process with ${marker}`);
  for (const pid of descendants(main)) {
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }
}

module.exports = { signalProcessTree };
