/**
 * A real PostgreSQL for tests: initdb + pg_ctl as the postgres user (initdb
 * refuses root) in a temp dir, on a free loopback port, fsync off (test data
 * only). docs/references.md §8.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const INITDB = `${PG_BIN}/initdb`;

export interface TestPostgres {
  url: string;
  port: number;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** As the postgres user when we are root (initdb cannot run as root); as ourselves otherwise. */
function asPostgres(args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', ...args]]
    : [args[0] as string, args.slice(1)];
  execFileSync(cmd, argv, { stdio: 'pipe', timeout: 60_000 });
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:', dir]);
  const data = path.join(dir, 'data');
  asPostgres([
    INITDB,
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  asPostgres([
    `${PG_BIN}/pg_ctl`,
    '-D',
    data,
    '-l',
    path.join(dir, 'pg.log'),
    '-w',
    '-t',
    '30',
    '-o',
    opts,
    'start',
  ]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh database on the server, so suites do not see each other's rows. */
export async function freshDatabase(pgUrl: string, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return pgUrl.replace(/\/[^/]*$/, `/${name}`);
}
