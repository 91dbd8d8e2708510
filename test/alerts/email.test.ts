/**
 * The e-mail channel against a real SMTP server (aiosmtpd with STARTTLS and
 * AUTH required) and against servers that refuse, greylist, hang or drop
 * the line mid-DATA: what arrives, and what the delivery worker is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channel } from '../../src/alerts/channels/email.js';
import type { EmailConfig } from '../../src/alerts/channels/schemas.js';
import { haveSmtpPeer, type SmtpServer, startAiosmtpd, startBadSmtp } from '../helpers/smtp.js';
import { ctx, SAMPLE_LINES_VI, sampleAlert } from './sample.js';

const USER = 'canhbao@thanhhoa.gov.vn';
const PASSWORD = 'Mật-khẩu-rất-bí-mật-42';

describe.skipIf(!haveSmtpPeer())('e-mail to a real SMTP server (aiosmtpd, STARTTLS, AUTH)', () => {
  let smtp: SmtpServer;
  let config: EmailConfig;
  beforeAll(async () => {
    smtp = await startAiosmtpd(USER, PASSWORD);
    config = {
      host: '127.0.0.1',
      port: smtp.port,
      user: USER,
      password: PASSWORD,
      from: 'canhbao@thanhhoa.gov.vn',
      to: ['kythuat@thanhhoa.gov.vn', 'lanhdao@thanhhoa.gov.vn'],
      ca: smtp.ca,
    };
  }, 20_000);
  afterAll(async () => smtp?.stop());

  it('delivers once over STARTTLS with a login: Vietnamese subject, plain text and escaped HTML in UTF-8', async () => {
    const before = smtp.mails.length;
    const out = await channel.send(sampleAlert(), config, ctx(5000));
    expect(out).toMatchObject({ ok: true });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail?.tls).toBe(true);
    expect(mail?.authenticated).toBe(true);
    expect(mail?.rcpt_tos).toEqual(['kythuat@thanhhoa.gov.vn', 'lanhdao@thanhhoa.gov.vn']);
    expect(mail?.subject).toBe(
      '[diemcau] UBND xã Đông Tiến <Phòng họp 2> & "A": Micro không thu được tiếng; camera chưa cắm',
    );
    expect(mail?.alert).toBe('al_01J9ZK:firing');
    expect(mail?.charset).toBe('utf-8');
    expect(mail?.text).toBe([...SAMPLE_LINES_VI, ''].join('\n'));
    expect(mail?.html).toContain('UBND xã Đông Tiến &lt;Phòng họp 2&gt; &amp; &quot;A&quot;');
    expect(mail?.html).not.toContain('<Phòng họp 2>');
    expect(mail?.html).toContain('<strong>CẢNH BÁO: điểm cầu chưa sẵn sàng cho cuộc họp');
  });

  it("to_site_contacts: the site's technician and focal point get it too, once each", async () => {
    const before = smtp.mails.length;
    const alert = sampleAlert();
    alert.site.technician = { name: 'Lê Văn Tâm', phone: '0912 345 678', email: 'tam@dongtien.gov.vn' };
    alert.site.focalPoint = { name: 'Nguyễn Thị Hoa', email: 'KYTHUAT@thanhhoa.gov.vn' };
    const out = await channel.send(alert, { ...config, to_site_contacts: true }, ctx(5000));
    expect(out).toMatchObject({ ok: true });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail?.rcpt_tos).toEqual([
      'kythuat@thanhhoa.gov.vn',
      'lanhdao@thanhhoa.gov.vn',
      'tam@dongtien.gov.vn',
    ]);
  });

  it('writes the recovery in English when the message is English', async () => {
    const before = smtp.mails.length;
    const out = await channel.send(
      sampleAlert({ state: 'resolved', lang: 'en', summary: 'All required checks pass again', details: [] }),
      config,
      ctx(5000),
    );
    expect(out.ok).toBe(true);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail?.subject).toBe(
      '[diemcau] Back to normal: UBND xã Đông Tiến <Phòng họp 2> & "A": All required checks pass again',
    );
    expect(mail?.text?.split('\n')[0]).toBe(
      'BACK TO NORMAL: the site is not ready for meetings (at 06:30 02/12/2026)',
    );
  });

  it('a refused login is not retried, and its reason carries neither the password nor its base64', async () => {
    const wrong = 'Sai-mật-khẩu-99';
    const out = await channel.send(sampleAlert(), { ...config, password: wrong }, ctx(5000));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.retry).toBe(false);
    expect(out.reason).toMatch(/^máy chủ thư từ chối đăng nhập/);
    for (const s of [
      wrong,
      Buffer.from(wrong).toString('base64'),
      Buffer.from(`\0${USER}\0${wrong}`).toString('base64'),
    ])
      expect(out.reason).not.toContain(s);
  });

  it('a recipient refused with 550 is not retried; 451 is', async () => {
    const refused = await channel.send(
      sampleAlert(),
      { ...config, to: ['refuse@thanhhoa.gov.vn'] },
      ctx(5000),
    );
    expect(refused).toMatchObject({ ok: false, retry: false });
    expect(refused.ok === false && refused.reason).toMatch(/^máy chủ thư trả lời 550: .*mailbox unavailable/);
    const later = await channel.send(sampleAlert(), { ...config, to: ['later@thanhhoa.gov.vn'] }, ctx(5000));
    expect(later).toMatchObject({ ok: false, retry: true });
    expect(later.ok === false && later.reason).toMatch(/451/);
  });

  it('refuses to send in clear when the certificate is not trusted (not retried)', async () => {
    const { ca: _ca, ...untrusted } = config;
    const out = await channel.send(sampleAlert(), untrusted, ctx(5000));
    expect(out).toMatchObject({ ok: false, retry: false });
    expect(out.ok === false && out.reason).toMatch(/^không thiết lập được TLS/);
  });
});

describe('e-mail to SMTP servers that misbehave (Node stand-ins)', () => {
  const plain = (port: number): EmailConfig => ({
    host: '127.0.0.1',
    port,
    requireTLS: false,
    from: 'canhbao@thanhhoa.gov.vn',
    to: ['kythuat@thanhhoa.gov.vn'],
  });

  it('a server that never greets: a timeout at the per-attempt limit, retried', async () => {
    const bad = await startBadSmtp('hang');
    try {
      const t0 = Date.now();
      const out = await channel.send(sampleAlert({ lang: 'en' }), plain(bad.port), ctx(600));
      expect(out).toMatchObject({ ok: false, retry: true });
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await bad.stop();
    }
  });

  it('Ctrl-C or a stopping registry cancels the attempt at once (retried later)', async () => {
    const bad = await startBadSmtp('hang');
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const t0 = Date.now();
      const out = await channel.send(sampleAlert({ lang: 'en' }), plain(bad.port), {
        signal: ac.signal,
        timeoutMs: 10_000,
      });
      expect(out).toEqual({ ok: false, retry: true, reason: 'cancelled: the registry is stopping' });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await bad.stop();
    }
  });

  it('a line dropped mid-DATA is retried', async () => {
    const bad = await startBadSmtp('drop-mid-data');
    try {
      const out = await channel.send(sampleAlert({ lang: 'en' }), plain(bad.port), ctx(3000));
      expect(out).toMatchObject({ ok: false, retry: true });
      expect(out.ok === false && out.reason).toMatch(/^the connection to the mail server failed/);
    } finally {
      await bad.stop();
    }
  });

  it('a greylisting 450 is retried; a 554 greeting is not', async () => {
    const grey = await startBadSmtp('greylist');
    const shut = await startBadSmtp('refuse-connect-550');
    try {
      expect(await channel.send(sampleAlert(), plain(grey.port), ctx(3000))).toMatchObject({
        ok: false,
        retry: true,
      });
      const out = await channel.send(sampleAlert({ lang: 'en' }), plain(shut.port), ctx(3000));
      expect(out).toMatchObject({ ok: false, retry: false });
      expect(out.ok === false && out.reason).toMatch(/^the mail server answered 554/);
    } finally {
      await grey.stop();
      await shut.stop();
    }
  });

  it('a refused connection is retried', async () => {
    const bad = await startBadSmtp('hang');
    const { port } = bad;
    await bad.stop();
    const out = await channel.send(sampleAlert({ lang: 'en' }), plain(port), ctx(2000));
    expect(out).toMatchObject({ ok: false, retry: true });
    expect(out.ok === false && out.reason).toMatch(/ECONNREFUSED|ECONNECTION/);
  });

  it('requireTLS (the default) against a server without STARTTLS: not sent in clear, not retried', async () => {
    const grey = await startBadSmtp('greylist');
    try {
      const { requireTLS: _r, ...def } = plain(grey.port);
      const out = await channel.send(sampleAlert({ lang: 'en' }), def, ctx(3000));
      expect(out).toMatchObject({ ok: false, retry: false });
    } finally {
      await grey.stop();
    }
  });
});
