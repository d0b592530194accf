// A fresh database per test run in the cluster run.sh found (by its Unix socket: the tests run in
// a network namespace of their own).
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';

function url(database) {
  const host = encodeURIComponent(process.env.VG_E2E_PG_HOST);
  const user = encodeURIComponent(process.env.VG_E2E_PG_USER || 'postgres');
  return `postgresql://${user}@/${database}?host=${host}&port=${process.env.VG_E2E_PG_PORT}`;
}

export function psql(databaseUrl, sql) {
  return execFileSync('psql', [databaseUrl, '-X', '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', sql],
                      {encoding: 'utf8', timeout: 30000}).trim();
}

export function createDatabase() {
  if (!process.env.VG_E2E_PG_HOST) throw new Error('run the e2e tests through tests/e2e/run.sh');
  const name = `vg_e2e_${randomBytes(6).toString('hex')}`;
  psql(url('postgres'), `CREATE DATABASE ${name}`);
  return {
    name,
    url: url(name),
    drop() {
      psql(url('postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
