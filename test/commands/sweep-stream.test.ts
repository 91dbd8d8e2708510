/**
 * A sweep writes json and tap as its sites finish (docs/run-format.md,
 * "Sweeps"): three sites with an http check each against a loopback server
 * that holds the last site's request until the test has read the first
 * site's result on stdout. The finished outputs then parse and are complete:
 * tap in tap-parser, json as one document in the documented key order,
 * junit against the Jenkins xUnit schema (xmllint).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Parser } from 'tap-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { Buffer } from '../helpers/cli.js';
import { havePeer } from '../helpers/peers.js';

const SITES = 3;
const XSD = path.join(import.meta.dirname, '../fixtures/junit/junit-10.xsd');
let dir: string;
let server: http.Server;
/** Answers the held request (the last site's). */
let release: (() => void) | undefined;
let held = false;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-sweep-stream-'));
  server = http.createServer((req, res) => {
    const answer = () => res.end('ok\n');
    if (req.url === `/s/${SITES - 1}`) {
      held = true;
      release = answer;
      // Never held past 10 s, so a broken sweep cannot hang the suite.
      setTimeout(answer, 10_000).unref();
    } else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await fs.mkdir(path.join(dir, 'profiles'));
  for (let i = 0; i < SITES; i++)
    await fs.writeFile(
      path.join(dir, 'profiles', `s-${i}.yaml`),
      `site: { id: s-${i}, name: "Xã ${i}", unit: "tinh/s-${i}" }\nchecks:\n  - { id: portal, kind: http, url: "http://127.0.0.1:${port}/s/${i}" }\n`,
    );
});

afterAll(async () => {
  release?.();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

/** Waits for `ok()`, at most `ms`. */
async function until(ok: () => boolean, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 20) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return ok();
}

describe('a sweep streams its results', () => {
  let code: number;
  let stdout: Buffer;
  let seen: { stdout: string; jsonSoFar: string; xmlSoFar: string; outJsonExists: boolean };

  it('writes the first site before the last one has finished', async () => {
    stdout = new Buffer(false);
    const running = runCli({
      argv: [
        'check',
        'profiles',
        '--concurrency',
        String(SITES),
        '--format',
        'tap',
        '--format',
        'json=out.json',
        '--format',
        'junit=out.xml',
      ],
      env: { LANG: 'en_US.UTF-8' },
      cwd: dir,
      stdout,
      stderr: new Buffer(false),
      tty: { stdout: false, stderr: false, stdin: false },
      stateDir: path.join(dir, 'state'),
    });
    const first = await until(() => held && stdout.text.includes('ok 1 - s-0'), 8_000);
    // What the files hold so far: their temp files (the targets appear whole at the end). Written
    // pieces are gathered for at most 100 ms, so give the json temp file a moment.
    const tmp = async (target: string) =>
      (await fs.readdir(dir)).find((n) => n.startsWith(`.${target}.`) && n.endsWith('.tmp'));
    const soFar = async (target: string) => {
      const name = await tmp(target);
      return name ? fs.readFile(path.join(dir, name), 'utf8').catch(() => '') : '';
    };
    let jsonSoFar = '';
    for (let k = 0; k < 100 && !jsonSoFar.includes('"id": "s-0"'); k++) {
      await new Promise((r) => setTimeout(r, 20));
      jsonSoFar = await soFar('out.json');
    }
    seen = {
      stdout: stdout.text,
      jsonSoFar,
      xmlSoFar: await soFar('out.xml'),
      outJsonExists: (await fs.readdir(dir)).includes('out.json'),
    };
    release?.();
    code = await running;
    expect(first).toBe(true);
    expect(seen.stdout).toMatch(/^TAP version 14\n1\.\.3\n# Subtest: s-0\n/);
    expect(seen.stdout).not.toContain('s-2');
    // json streams into its temp file; junit's head carries totals, so its suites wait in a spool.
    expect(seen.jsonSoFar).toContain('"id": "s-0"');
    expect(seen.jsonSoFar).not.toContain('"id": "s-2"');
    expect(seen.xmlSoFar).toBe('');
    expect(seen.outJsonExists).toBe(false);
    expect(code).toBe(0);
  });

  it('tap: one complete TAP 14 stream, a subtest per site, in profile order', async () => {
    const { final, children } = await new Promise<{
      final: { ok: boolean; count: number };
      children: number;
    }>((resolve) => {
      let children = 0;
      const p = new Parser((final) => resolve({ final, children }));
      p.on('child', () => {
        children += 1;
      });
      p.end(stdout.text);
    });
    expect(final.ok).toBe(true);
    expect(final.count).toBe(SITES);
    expect(children).toBe(SITES);
    expect([...stdout.text.matchAll(/^# Subtest: (\S+)$/gm)].map((m) => m[1])).toEqual(['s-0', 's-1', 's-2']);
  });

  it('json: one document, every site in profile order, durationMs and verdict after the sites', async () => {
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'out.json'), 'utf8'));
    expect(Object.keys(doc)).toEqual(['schema', 'tool', 'startedAt', 'sites', 'durationMs', 'verdict']);
    expect(doc.schema).toBe('diemcau/run@2');
    expect(doc.verdict).toBe('ready');
    expect(doc.durationMs).toBeGreaterThan(0);
    expect(doc.sites.map((s: { site: { id: string } }) => s.site.id)).toEqual(['s-0', 's-1', 's-2']);
    for (const s of doc.sites) expect(s.checks.map((c: { status: string }) => c.status)).toEqual(['pass']);
    // The run kept for `incident file --attach-run`, streamed the same way.
    // The runs kept for `incident file --attach-run`: a file per site, no temp file left.
    expect((await fs.readdir(path.join(dir, 'state', 'last-run'))).sort()).toEqual([
      's-0.json',
      's-1.json',
      's-2.json',
    ]);
    for (const id of ['s-0', 's-1', 's-2']) {
      const last = JSON.parse(await fs.readFile(path.join(dir, 'state', 'last-run', `${id}.json`), 'utf8'));
      expect(last.site.id).toBe(id);
      expect(last.checks.map((c: { status: string }) => c.status)).toEqual(['pass']);
    }
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!havePeer('xmllint', 'apt-get install libxml2-utils'))(
    'junit: valid against the Jenkins xUnit schema, with the totals of every site',
    async () => {
      const file = path.join(dir, 'out.xml');
      const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
      expect(r.stderr).toMatch(/ validates\n$/);
      expect(r.status).toBe(0);
      const xml = await fs.readFile(file, 'utf8');
      expect(xml).toMatch(/<testsuites name="diemcau" tests="3" failures="0" errors="0" time="[\d.]+">\n/);
      expect([...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['s-0', 's-1', 's-2']);
    },
  );
});
