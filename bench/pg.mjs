// A throwaway PostgreSQL 15 for the registry benchmarks, started like the
// tests do (initdb + pg_ctl as the postgres user in a temp dir, loopback),
// but durable: fsync and synchronous_commit stay on, so the figures hold
// for a real server. Not a benchmark itself (no .bench.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export const havePostgres = () => fs.existsSync(`${PG_BIN}/initdb`);

const asPostgres = (args) => {
  const root = process.getuid?.() === 0;
  execFileSync(root ? 'runuser' : args[0], root ? ['-u', 'postgres', '--', ...args] : args.slice(1), {
    stdio: 'pipe',
    timeout: 120_000,
  });
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

export async function startPostgres({ settings = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-bench-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:', dir]);
  const data = path.join(dir, 'data');
  asPostgres([
    `${PG_BIN}/initdb`,
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const opts = [
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`,
    '-c shared_buffers=1GB -c work_mem=64MB -c max_connections=100',
    ...settings.map((s) => `-c ${s}`),
  ].join(' ');
  asPostgres([
    `${PG_BIN}/pg_ctl`,
    '-D',
    data,
    '-l',
    path.join(dir, 'pg.log'),
    '-w',
    '-t',
    '60',
    '-o',
    opts,
    'start',
  ]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Drop and create a database; returns its URL. */
export async function freshDatabase(url, name) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return url.replace(/\/[^/]*$/, `/${name}`);
}
