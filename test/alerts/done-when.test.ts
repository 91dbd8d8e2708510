/**
 * The site register and alerts as a new user meets them, with the shipped
 * binary only (bin/diemcau.js and its bundle: `npm run build` first, as
 * `npm test` does): `registry serve` on 127.0.0.1 (SQLite), the sample spreadsheet of
 * docs/examples/diem-cau.csv imported with `site import`, an e-mail channel to
 * a real SMTP server (aiosmtpd, STARTTLS and a login) and a webhook to a
 * receiver that checks the signature, one rule to both. A site turns not
 * ready and recovers: the e-mail (Vietnamese) and the webhook (English)
 * arrive once each, plus one recovery each. Then a maintenance window holds
 * the next alert: in `alert log`, never sent.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertLog } from '../../src/model/alert-rule.js';
import { haveSmtpPeer, type SmtpServer, startAiosmtpd } from '../helpers/smtp.js';
import { type BuiltCli, runBuilt, spawnBuilt } from '../registry/built.js';
import { deadPort, tempDir } from '../registry/live.js';
import { type Receiver, startReceiver } from './receiver.js';

const ROOT = path.resolve(__dirname, '../..');
const SAMPLE = path.join(ROOT, 'docs/examples/diem-cau.csv');
const SMTP_USER = 'canhbao@thanhhoa.gov.vn';
const SMTP_PASSWORD = 'Mật-khẩu-SMTP-bí-mật-42';
const HOOK_SECRET = 'bi-mat-chung-cua-webhook-0123456789';
const SITE = 'th-xa-dong-tien';

describe.skipIf(!haveSmtpPeer())('site register and alerts from a fresh start (the shipped binary)', () => {
  let cli: BuiltCli;
  let smtp: SmtpServer;
  let hook: Receiver;
  let registry: ChildProcess | undefined;
  let registryErr = '';
  let dir: string;
  let url: string;
  let admin: string;
  let tech: string;

  const db = () => path.join(dir, 'registry.sqlite');
  const as = (token: string, args: string[], lang = 'vi_VN.UTF-8') =>
    runBuilt(cli, args, {
      cwd: dir,
      env: {
        DIEMCAU_REGISTRY: url,
        DIEMCAU_TOKEN: token,
        DIEMCAU_STATE_DIR: path.join(dir, 'state'),
        LANG: lang,
      },
    });
  const token = async (role: string, unit?: string) => {
    const r = await runBuilt(
      cli,
      ['registry', 'token', 'create', '--role', role, '--db', db(), ...(unit ? ['--unit', unit] : [])],
      { cwd: dir, env: {} },
    );
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  const log = async () => {
    const r = await as(admin, ['alert', 'log', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as AlertLog).items;
  };
  /** Polls `alert log` until `pred` holds (bounded: 15 s). */
  const logUntil = async (pred: (items: AlertLog['items']) => boolean) => {
    let items = await log();
    for (let i = 0; i < 60 && !pred(items); i++) {
      await new Promise((r) => setTimeout(r, 250));
      items = await log();
    }
    return items;
  };

  beforeAll(async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/bundle/main.js')), 'run `npm run build` first').toBe(true);
    cli = { bin: path.join(ROOT, 'bin/diemcau.js'), dir: ROOT, remove: () => {} };
    dir = tempDir('done-when');
    smtp = await startAiosmtpd(SMTP_USER, SMTP_PASSWORD);
    hook = await startReceiver(HOOK_SECRET);
    admin = await token('admin');
    tech = await token('technician', 'thanh-hoa/dong-tien');
    const port = await deadPort();
    url = `http://127.0.0.1:${port}`;
    registry = spawnBuilt(cli, ['registry', 'serve', '--db', db(), '--port', String(port)], {
      cwd: dir,
      env: { SMTP_PASSWORD, HOOK_SECRET },
    });
    registry.stderr?.on('data', (d) => {
      registryErr += d;
    });
    for (let i = 0; i < 200 && !registryErr.includes('listening'); i++) {
      if (registry.exitCode !== null) throw new Error(`registry exited: ${registryErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 180_000);
  afterAll(async () => {
    registry?.kill('SIGTERM');
    await hook?.close();
    await smtp?.stop();
  });

  it('imports the sample, alerts once by e-mail and webhook, recovers once, and holds under maintenance', async () => {
    // The IT centre's spreadsheet, as shipped in docs/examples.
    let r = await as(admin, ['site', 'import', SAMPLE]);
    expect(r.code, r.stderr).toBe(0);
    r = await as(admin, ['site', 'show', SITE, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: SITE,
      name: 'UBND xã Đông Tiến',
      technician: { name: 'Lê Văn Cường', phone: '0987 654 321' },
      focal_point: { name: 'Nguyễn Thị Hoa', phone: '0912 345 678' },
    });

    // One rule to an e-mail channel (Vietnamese) and a webhook (English).
    r = await as(admin, [
      'alert',
      'channel',
      'add',
      'mail',
      '--kind',
      'email',
      '--set',
      'host=127.0.0.1',
      '--set',
      `port=${smtp.port}`,
      '--set',
      `user=${SMTP_USER}`,
      '--set',
      'password=${SMTP_PASSWORD}',
      '--set',
      `from=${SMTP_USER}`,
      '--set',
      'to=trucban@thanhhoa.gov.vn',
      '--set',
      `ca=${smtp.ca}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    r = await as(admin, [
      'alert',
      'channel',
      'add',
      'hook',
      '--kind',
      'webhook',
      '--set',
      `url=${hook.url}`,
      '--set',
      'secret=${HOOK_SECRET}',
      '--message-lang',
      'en',
    ]);
    expect(r.code, r.stderr).toBe(0);
    r = await as(admin, [
      'alert',
      'rule',
      'add',
      'chua-san-sang',
      '--event',
      'site-not-ready',
      '--unit',
      'thanh-hoa',
      '--channel',
      'mail',
      '--channel',
      'hook',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // Neither secret was echoed anywhere.
    r = await as(admin, ['alert', 'channel', 'list']);
    expect(r.stdout + r.stderr).not.toContain(SMTP_PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(HOOK_SECRET);

    // The technician's profile: one required check on a port this test opens and closes.
    const port = await deadPort();
    const site = path.join(dir, 'site');
    fs.mkdirSync(site);
    fs.writeFileSync(
      path.join(site, 'diemcau.yaml'),
      [
        'site:',
        `  id: ${SITE}`,
        '  name: UBND xã Đông Tiến',
        '  unit: thanh-hoa/dong-tien',
        'registry:',
        `  url: ${url}`,
        '  token: ${DIEMCAU_TOKEN}',
        'checks:',
        `  - { id: sip-port, kind: tcp, target: 127.0.0.1, port: ${port} }`,
        '',
      ].join('\n'),
    );
    const check = () =>
      runBuilt(cli, ['check', '--upload', '--format', 'json'], {
        cwd: site,
        env: { DIEMCAU_TOKEN: tech, DIEMCAU_STATE_DIR: path.join(site, 'state'), LANG: 'vi_VN.UTF-8' },
      });

    // Not ready: one e-mail, one webhook.
    r = await check();
    expect(r.code, r.stderr).toBe(2);
    await smtp.waitFor(1);
    await hook.waitFor(() => hook.processed.size >= 1);
    const [mail] = smtp.mails;
    expect(mail?.tls).toBe(true);
    expect(mail?.authenticated).toBe(true);
    expect(mail?.rcpt_tos).toEqual(['trucban@thanhhoa.gov.vn']);
    expect(mail?.subject).toContain('UBND xã Đông Tiến');
    expect(mail?.text).toContain('Lê Văn Cường');
    expect(mail?.text).toContain('0987 654 321');
    expect(mail?.text).toContain('Nguyễn Thị Hoa');
    expect(mail?.text).toMatch(/chưa sẵn sàng/);
    const firing = [...hook.processed.values()][0]?.message;
    expect(firing).toMatchObject({
      schema: 'diemcau/alert@1',
      rule: 'chua-san-sang',
      event: 'site-not-ready',
      state: 'firing',
      site: { id: SITE, name: 'UBND xã Đông Tiến', technician: { name: 'Lê Văn Cường' } },
    });
    expect(firing?.summary).toMatch(/not ready/i);

    // Still not ready: nothing new (dedupe while the condition holds).
    r = await check();
    expect(r.code, r.stderr).toBe(2);

    // Ready again: one recovery on each channel.
    const server = net.createServer((s) => s.end());
    await new Promise<void>((res) => server.listen(port, '127.0.0.1', res));
    try {
      r = await check();
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await new Promise((res) => server.close(res));
    }
    await smtp.waitFor(2);
    await hook.waitFor(() => hook.processed.size >= 2);
    const items = await logUntil((xs) => xs.filter((x) => x.delivery === 'sent').length >= 4);
    expect(
      items
        .map((x) => [x.rule, x.site, x.state, x.channel, x.delivery])
        .sort((a, b) => a.join().localeCompare(b.join())),
    ).toEqual([
      ['chua-san-sang', SITE, 'firing', 'hook', 'sent'],
      ['chua-san-sang', SITE, 'firing', 'mail', 'sent'],
      ['chua-san-sang', SITE, 'resolved', 'hook', 'sent'],
      ['chua-san-sang', SITE, 'resolved', 'mail', 'sent'],
    ]);
    expect(smtp.mails).toHaveLength(2);
    expect(hook.requests).toHaveLength(2);
    expect([...hook.processed.values()].map((x) => x.message.state)).toEqual(['firing', 'resolved']);
    expect(hook.badSignatures).toBe(0);

    // A maintenance window over the site holds the next alert: logged, never sent.
    const now = Date.now();
    r = await as(admin, [
      'maintenance',
      'add',
      '--site',
      SITE,
      '--from',
      new Date(now - 60_000).toISOString(),
      '--to',
      new Date(now + 3_600_000).toISOString(),
      '--reason',
      'thay cáp quang',
    ]);
    expect(r.code, r.stderr).toBe(0);
    r = await check();
    expect(r.code, r.stderr).toBe(2);
    const held = await logUntil((xs) => xs.filter((x) => x.delivery === 'held').length >= 2);
    expect(
      held
        .filter((x) => x.delivery === 'held')
        .map((x) => [x.state, x.channel].join())
        .sort(),
    ).toEqual(['firing,hook', 'firing,mail']);
    // The worker has had time to send: still two mails, two webhook requests.
    await new Promise((res) => setTimeout(res, 1500));
    expect(smtp.mails).toHaveLength(2);
    expect(hook.requests).toHaveLength(2);

    // The log in both languages.
    r = await as(admin, ['alert', 'log']);
    expect(r.stdout.split('\n')[0]).toContain('QUY TẮC');
    r = await as(admin, ['alert', 'log'], 'en_US.UTF-8');
    expect(r.stdout.split('\n')[0]).toContain('RULE');
    // Nothing secret in the registry's own output.
    expect(registryErr).not.toContain(SMTP_PASSWORD);
    expect(registryErr).not.toContain(HOOK_SECRET);
  }, 120_000);
});
