/**
 * `diemcau check --workers N` (src/commands/check/lanes.ts): the built
 * binary sweeps the same sites on one thread and on three, and every output
 * (json, tap, junit, human, nagios, prometheus, every site's last run), stdout,
 * stderr and the exit code are the same: the bytes match once the times,
 * which differ between any two runs, are masked. The sites' ids and names
 * have no digits, so the masking leaves the sites' order checked.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/diemcau.js');
let dir: string;
let tcp: net.Server;
let web: http.Server;
let refused: number;

const letters = (i: number) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
const SITES = 30;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sweep-workers-'));
  tcp = net.createServer((s) => s.end());
  web = http.createServer((req, res) => {
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  // A port nobody listens on: taken and given back.
  const gone = net.createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  refused = (gone.address() as net.AddressInfo).port;
  await new Promise((r) => gone.close(r));
  const tcpPort = (tcp.address() as net.AddressInfo).port;
  const webPort = (web.address() as net.AddressInfo).port;
  fs.mkdirSync(path.join(dir, 'profiles'));
  for (let i = 0; i < SITES; i++) {
    const id = `xa-${letters(i)}`;
    // Ready, degraded (an optional check fails) and not ready (a required one fails), in turn.
    const url = `http://127.0.0.1:${webPort}/${i % 3 === 2 ? 'missing' : 'portal'}`;
    fs.writeFileSync(
      path.join(dir, 'profiles', `${id}.yaml`),
      `site: { id: ${id}, name: "Xã ${letters(i)}", unit: "tinh/${id}" }
checks:
  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${tcpPort} }
  - { id: old-port, kind: tcp, target: 127.0.0.1, port: ${i % 3 === 1 ? refused : tcpPort}, required: false }
  - { id: portal, kind: http, url: "${url}", needs: [sip-port] }
`,
    );
  }
  fs.writeFileSync(path.join(dir, 'profiles', 'xa-zz-broken.yaml'), 'site: { id: [\n');
});

afterAll(async () => {
  await new Promise((r) => tcp.close(r));
  web.closeAllConnections();
  await new Promise((r) => web.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const FORMATS = ['json', 'tap', 'junit', 'human', 'nagios', 'prometheus'];

/** Times, durations and every other figure masked; white space (table padding, wrapping) made one space. */
const mask = (text: string) =>
  text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'T')
    .replace(/\d+([.,]\d+)? ?(ms|s)\b/g, '# ms')
    .replace(/\d+([.,]\d+)?/g, '#')
    .replace(/\s+/g, ' ');

/** The built binary, asynchronously: the servers above answer from this process's event loop. */
function spawnCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, LANG: 'en_US.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function sweep(workers: number) {
  const out = path.join(dir, `out-${workers}`);
  fs.mkdirSync(out);
  const r = await spawnCli(
    [
      'check',
      'profiles',
      '--concurrency',
      '8',
      '--workers',
      String(workers),
      ...FORMATS.flatMap((f) => ['--format', `${f}=${path.join(out, f)}`]),
    ],
    // Wide enough that no table cell wraps: a longer time would move the wrap.
    { DIEMCAU_STATE_DIR: path.join(out, 'state'), COLUMNS: '400' },
  );
  // Every site's last run (state/last-run/<id>.json, docs/architecture.md).
  const lastRuns = fs
    .readdirSync(path.join(out, 'state/last-run'))
    .sort()
    .map((f) => `state/last-run/${f}`);
  expect(lastRuns.length).toBeGreaterThan(0);
  const files = Object.fromEntries(
    [...FORMATS, ...lastRuns].map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]),
  );
  return { ...r, files };
}

describe('sweep on several threads (--workers)', () => {
  it('writes what a one-thread sweep writes', async () => {
    expect(fs.existsSync(path.join(root, 'dist/bundle/site-worker.js')), 'run `npm run build` first').toBe(
      true,
    );
    const one = await sweep(1);
    const three = await sweep(3);
    // Not ready (a required check fails at a third of the sites; the broken profile is unknown).
    expect(one.code).toBe(2);
    expect(three.code).toBe(one.code);
    expect(three.stdout).toBe(one.stdout);
    expect(three.stderr).toBe(one.stderr);
    for (const [name, text] of Object.entries(one.files))
      expect(mask(three.files[name] as string), name).toBe(mask(text));
    const doc = JSON.parse(three.files.json as string) as {
      sites: Array<{ site: { id: string }; verdict: string }>;
    };
    expect(doc.sites.map((s) => s.site.id)).toEqual([
      ...Array.from({ length: SITES }, (_, i) => `xa-${letters(i)}`),
      'xa-zz-broken',
    ]);
    expect(doc.sites.slice(0, 3).map((s) => s.verdict)).toEqual(['ready', 'degraded', 'not-ready']);
  });

  it('refuses a --workers that is not a whole number of at least 1', () => {
    const r = spawnSync(process.execPath, [bin, 'check', 'profiles', '--workers', '0'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8', DIEMCAU_STATE_DIR: path.join(dir, 'state-bad') },
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('--workers');
  });
});
