// The real server binary: `migrate`, then `serve` on loopback until stop(), its log kept in the
// artifacts folder. Inside run.sh's namespace every port is free, so the addresses are fixed.
import {execFileSync, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';

const HTTP_ADDR = '127.0.0.1:18080';
const RTC_ADDR = '127.0.0.1:40000';

// env: more VISIOGUICHET_* settings for this server (a second node gives its own addresses);
// logName: its log's file in the artifacts folder.
export async function startServer({databaseUrl, artifacts, env: settings = {},
                                   logName = 'server.log'}) {
  const binary = process.env.VG_SERVER_BINARY;
  if (!binary) throw new Error('VG_SERVER_BINARY is not set (tests/e2e/run.sh sets it)');
  const adminKey = randomBytes(32).toString('base64url');
  const env = {
    ...process.env,
    VISIOGUICHET_DATABASE_URL: databaseUrl,
    VISIOGUICHET_HTTP_ADDR: HTTP_ADDR,
    VISIOGUICHET_RTC_ADDR: RTC_ADDR,
    VISIOGUICHET_PUBLIC_ADDR: '127.0.0.1',
    VISIOGUICHET_BOOTSTRAP_ADMIN_KEY: adminKey,
    VISIOGUICHET_LOG_LEVEL: process.env.VG_E2E_SERVER_LOG_LEVEL || 'debug',
    VISIOGUICHET_DEV_PAGES: 'true',  // call.test.js drives web/dev/call.html
    ...settings,
  };
  execFileSync(binary, ['migrate'], {env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 60000});

  const log = createWriteStream(join(artifacts, logName));
  const child = spawn(binary, ['serve'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exit = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    exit = {code, signal};
    resolve(exit);
  }));

  // A second node of a test gives its own addresses in settings.
  const baseUrl = `http://${env.VISIOGUICHET_HTTP_ADDR}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (exit) throw new Error(`the server exited at start (${JSON.stringify(exit)}), see server.log`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server was not ready within 20 s, see server.log');
    }
    await sleep(100);
  }

  return {
    baseUrl,
    adminKey,
    // SIGTERM; answers the exit once the process is gone (SIGKILL after 12 s).
    async stop() {
      if (!exit) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 12000);
      const result = await exited;
      clearTimeout(killer);
      return result;
    },
  };
}
