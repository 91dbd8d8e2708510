/**
 * The example systemd service and timer for a nightly sweep (docs/systemd/)
 * pass the real `systemd-analyze verify`. The unit's ExecStart names the
 * installed binary; here it points at a stand-in executable, since verify
 * checks that the program exists. The sweep's flags are checked by diemcau
 * itself: they must parse.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { havePeer } from '../helpers/peers.js';

const DOCS = path.join(import.meta.dirname, '../../docs/systemd');
const BIN = '/usr/local/bin/diemcau';

async function units(dir: string): Promise<{ service: string; timer: string; stub: string }> {
  const stub = path.join(dir, 'diemcau');
  await fs.writeFile(stub, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const service = path.join(dir, 'diemcau-sweep.service');
  const timer = path.join(dir, 'diemcau-sweep.timer');
  await fs.writeFile(
    service,
    (await fs.readFile(path.join(DOCS, 'diemcau-sweep.service'), 'utf8')).replace(BIN, stub),
  );
  await fs.copyFile(path.join(DOCS, 'diemcau-sweep.timer'), timer);
  return { service, timer, stub };
}

describe.skipIf(!havePeer('systemd-analyze', 'apt-get install systemd'))('docs/systemd', () => {
  it('service and timer pass systemd-analyze verify', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-systemd-'));
    const { service, timer } = await units(dir);
    const r = spawnSync('systemd-analyze', ['verify', service, timer], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('a broken timer is refused (the test can fail)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-systemd-'));
    const { timer } = await units(dir);
    await fs.writeFile(timer, (await fs.readFile(timer, 'utf8')).replace('OnCalendar', 'OnCalender'));
    const r = spawnSync('systemd-analyze', ['verify', timer], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
  });
});

describe('the sweep in docs/systemd', () => {
  it('names only flags diemcau check knows', async () => {
    const text = await fs.readFile(path.join(DOCS, 'diemcau-sweep.service'), 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(text.replace(/\\\n/g, ' '))?.[1] ?? '';
    const argv = exec.split(/\s+/).filter(Boolean).slice(1);
    expect(argv[0]).toBe('check');
    const flags = argv.filter((a) => a.startsWith('--'));
    const help = (await run(['check', '--help', '--lang', 'en'])).stdout;
    for (const flag of flags) expect(help).toContain(`${flag} `);
    expect(flags).toEqual(
      expect.arrayContaining(['--quiet', '--lock-wait', '--history-keep', '--sweep', '--upload']),
    );
  });
});
