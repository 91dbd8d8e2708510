/** A registry that is down, then comes up, then `diemcau sync`; `diemcau outbox` in between. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { peopleTime } from '../../src/util/local-time.js';
import { run } from '../helpers/cli.js';
import { runBody } from './fixtures.js';
import { deadPort, type LiveRegistry, startRegistry, tempDir, writeProfile } from './live.js';

let reg: LiveRegistry | undefined;
afterEach(async () => {
  await reg?.close();
  reg = undefined;
});

describe('offline, then sync', () => {
  it('queues while the registry is down and sends everything once, in order, when it is back', async () => {
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const dir = tempDir('sync');
    const state = path.join(dir, 'state');
    writeProfile(dir, url);
    // The registry's tokens do not exist yet: mint the same token text later by reading it back.
    const env = { DIEMCAU_TOKEN: 'pending' };
    const opts = { cwd: dir, env, stateDir: state };
    const file = (summary: string) =>
      run(
        ['incident', 'file', '--category', 'mat_dien', '--severity', 'critical', '--summary', summary],
        opts,
      );
    for (const s of ['một', 'hai', 'ba']) expect((await file(s)).code).toBe(0);
    const update = await run(
      ['incident', 'update', '1', '--status', 'acknowledged', '--note', 'đã nhận'],
      opts,
    );
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/^queued: #1 → acknowledged: đã nhận\./);

    const listed = await run(['outbox'], opts);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n');
    expect(rows[0]).toBe('ID\tKIND\tCREATED\tREGISTRY\tWHAT');
    expect(rows.slice(1).map((r) => r.split('\t')[4])).toEqual([
      'th-bimson-ubnd: Power cut: một',
      'th-bimson-ubnd: Power cut: hai',
      'th-bimson-ubnd: Power cut: ba',
      '#1 → acknowledged: đã nhận',
    ]);
    expect(rows.slice(1).every((r) => r.split('\t')[3] === url)).toBe(true);

    // The registry comes up on the same port.
    reg = await startRegistry(port);
    env.DIEMCAU_TOKEN = reg.tokens.tech;
    const sync = await run(['sync'], opts);
    expect(sync).toEqual({
      code: 0,
      stdout: [
        'sent: th-bimson-ubnd: Power cut: một',
        'sent: th-bimson-ubnd: Power cut: hai',
        'sent: th-bimson-ubnd: Power cut: ba',
        'sent: #1 → acknowledged: đã nhận',
        '4 sent, 0 still queued, 0 refused',
        '',
      ].join('\n'),
      stderr: '',
    });
    const incidents = await reg.store.listIncidents({ unitPrefix: '', limit: 10 });
    expect(incidents.map((i) => [i.id, i.summary, i.status])).toEqual([
      [3, 'ba', 'open'],
      [2, 'hai', 'open'],
      [1, 'một', 'acknowledged'],
    ]);
    expect((await run(['sync'], opts)).stdout).toBe('0 sent, 0 still queued, 0 refused\n');
    expect((await run(['outbox'], opts)).stdout).toBe('the outbox is empty: nothing waiting to be sent\n');
  });

  it('a command that talks to the registry sends the backlog first; refusals are kept aside and shown', async () => {
    reg = await startRegistry();
    const dir = tempDir('sync');
    const state = path.join(dir, 'state');
    writeProfile(dir, reg.url);
    const opts = { cwd: dir, env: { DIEMCAU_TOKEN: reg.tokens.tech }, stateDir: state };
    // Two items queued earlier (by hand, as a crashed run would leave them): one good, one out of scope.
    const { Outbox } = await import('../../src/registry/outbox.js');
    const box = new Outbox(state);
    await box.add(
      { kind: 'run', method: 'POST', path: '/v1/runs', body: runBody(), registry: reg.url, label: 'run A' },
      new Date(),
    );
    await box.add(
      {
        kind: 'run',
        method: 'POST',
        path: '/v1/runs',
        body: runBody({ siteId: 'na', unit: 'nghe-an/vinh' }),
        registry: reg.url,
        label: 'run B',
      },
      new Date(),
    );
    const r = await run(['incident', 'list'], opts);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^sent: run A\nrefused, kept aside: run B: this token may send for unit thanh-hoa\/bim-son only, not for unit nghe-an\/vinh\n$/,
    );
    expect(await reg.store.listRuns({ siteId: 'th-bimson-ubnd', limit: 5 })).toHaveLength(1);
    const shown = await run(['outbox', '--format', 'json'], opts);
    const doc = JSON.parse(shown.stdout);
    expect(doc.queued).toEqual([]);
    expect(doc.rejected).toEqual([
      expect.objectContaining({
        label: 'run B',
        rejected: expect.objectContaining({ status: 403, code: 'forbidden' }),
      }),
    ]);
    // Put it back: refused again (a viewer may not write) is exit 2; sent with an admin token is exit 0.
    const retry = await run(['outbox', 'retry', doc.rejected[0].id], opts);
    expect(retry.stdout).toBe(`back in the queue: ${doc.rejected[0].id}; send it with: diemcau sync\n`);
    const again = await run(['sync'], { ...opts, env: { DIEMCAU_TOKEN: reg.tokens.viewer } });
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('0 sent, 0 still queued, 1 refused');
    await run(['outbox', 'retry', doc.rejected[0].id], opts);
    const ok = await run(['sync', '--format', 'json'], { ...opts, env: { DIEMCAU_TOKEN: reg.tokens.admin } });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ registry: reg.url, sent: 1, queued: 0, rejected: 0 });
    expect(fs.readdirSync(path.join(state, 'outbox')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('a wrong token keeps everything queued', async () => {
    reg = await startRegistry();
    const dir = tempDir('sync');
    const state = path.join(dir, 'state');
    writeProfile(dir, reg.url);
    const opts = { cwd: dir, env: { DIEMCAU_TOKEN: 'dct_wrong' }, stateDir: state };
    const f = await run(
      ['incident', 'file', '--category', 'khac', '--severity', 'minor', '--summary', 'x'],
      opts,
    );
    expect(f.code).toBe(0);
    expect(f.stdout).toContain('The registry refused the token (the registry does not know this token).');
    const s = await run(['sync'], opts);
    expect(s.stdout).toBe(
      'stopped: The registry refused the token (the registry does not know this token).\n0 sent, 1 still queued, 0 refused\n',
    );
    expect(s.code).toBe(0);
  });
});

describe('sync with nothing to do', () => {
  it('is not an error without a registry when nothing is queued', async () => {
    const dir = tempDir('sync-empty');
    const r = await run(['sync'], { cwd: dir, stateDir: path.join(dir, 'state') });
    expect(r).toEqual({ code: 0, stdout: '0 sent, 0 still queued, 0 refused\n', stderr: '' });
  });

  it('sends to the one registry the queue is for when none is named', async () => {
    reg = await startRegistry();
    const dir = tempDir('sync-fallback');
    const state = path.join(dir, 'state');
    const { Outbox } = await import('../../src/registry/outbox.js');
    await new Outbox(state).add(
      { kind: 'run', method: 'POST', path: '/v1/runs', body: runBody(), registry: reg.url, label: 'run A' },
      new Date(),
    );
    const r = await run(['sync'], { cwd: dir, env: { DIEMCAU_TOKEN: reg.tokens.tech }, stateDir: state });
    expect(r.stdout).toBe('sent: run A\n1 sent, 0 still queued, 0 refused\n');
  });
});

describe('check --upload', () => {
  it('queues the runs when the registry is down, keeps the verdict exit code, and sync sends them later', async () => {
    const port = await deadPort();
    const dir = tempDir('upload');
    const state = path.join(dir, 'state');
    writeProfile(dir, `http://127.0.0.1:${port}`);
    const opts = { cwd: dir, env: { DIEMCAU_TOKEN: 'pending' }, stateDir: state };
    const check = await run(['check', '--upload', '--format', 'json'], opts);
    expect(check.code).toBe(2);
    const doc = JSON.parse(check.stdout);
    expect(check.stderr).toContain(
      `queued: th-bimson-ubnd: not ready ${peopleTime(doc.sites[0].startedAt)}. The registry cannot be reached (the machine answered but nothing listens at that address and port (ECONNREFUSED)).`,
    );
    reg = await startRegistry(port);
    opts.env.DIEMCAU_TOKEN = reg.tokens.tech;
    const sync = await run(['sync'], opts);
    expect(sync.stdout).toBe(
      `sent: th-bimson-ubnd: not ready ${peopleTime(doc.sites[0].startedAt)}\n1 sent, 0 still queued, 0 refused\n`,
    );
    const [stored] = await reg.store.listRuns({ siteId: 'th-bimson-ubnd', limit: 5 });
    expect(stored).toMatchObject({
      verdict: 'not-ready',
      startedAt: doc.sites[0].startedAt,
      failing: ['sip-port'],
    });
  });
});

describe('an incident with no registry configured', () => {
  it('is kept in the outbox with where and how, and `sync --registry URL` sends it', async () => {
    const dir = tempDir('sync-noreg');
    const state = path.join(dir, 'state');
    const opts = { cwd: dir, env: {} as Record<string, string>, stateDir: state };
    const r = await run(
      [
        'incident',
        'file',
        '--site',
        'th-xa-a',
        '--unit',
        'thanh-hoa/bim-son/xa-a',
        '--category',
        'khong_hinh',
        '--severity',
        'major',
        '--summary',
        'mất hình',
      ],
      opts,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `kept: th-xa-a: No picture: mất hình. No registry is configured, so it waits in ${path.join(state, 'outbox')}.\n`,
    );
    expect(r.stderr).toBe(
      '  hint: send it later with: diemcau sync --registry URL (or set registry.url in the profile)\n',
    );
    reg = await startRegistry();
    const sent = await run(['sync', '--registry', reg.url], {
      ...opts,
      env: { DIEMCAU_TOKEN: reg.tokens.tech },
    });
    expect(sent.stdout).toBe('sent: th-xa-a: No picture: mất hình\n1 sent, 0 still queued, 0 refused\n');
    expect(sent.code).toBe(0);
    const stored = await reg.store.listIncidents({ unitPrefix: '', limit: 10 });
    expect(stored.map((i) => i.summary)).toEqual(['mất hình']);
  });
});

describe('sync -p site.yaml under cron', () => {
  it('needs only the registry part of the profile: an unset ${CODEC_PASSWORD} elsewhere is fine', async () => {
    reg = await startRegistry();
    const dir = tempDir('sync-cron');
    const file = writeProfile(dir, reg.url);
    fs.appendFileSync(
      file,
      'codec: { driver: cisco, host: 127.0.0.1, username: admin, password: "${CODEC_PASSWORD}" }\n',
    );
    const state = path.join(dir, 'state');
    const r = await run(['sync', '-p', 'diemcau.yaml'], {
      cwd: dir,
      env: { DIEMCAU_TOKEN: reg.tokens.tech },
      stateDir: state,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0 sent, 0 still queued, 0 refused\n');
    expect(r.code).toBe(0);
    // A ${VAR} in the registry part itself must still be set.
    const noToken = await run(['sync', '-p', 'diemcau.yaml'], { cwd: dir, env: {}, stateDir: state });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain('the registry part of');
    expect(noToken.stderr).toContain('uses ${DIEMCAU_TOKEN}, which is not set');
  });
});
