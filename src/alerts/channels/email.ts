/**
 * E-mail over SMTP with nodemailer (docs/alerts.md, e-mail): STARTTLS
 * required unless told otherwise (or TLS from the first byte with
 * `secure`), certificates always verified, login with the user and
 * password; a plain-text body and the same lines as simple HTML, everything
 * escaped. A 4xx answer and a broken connection are retried; a 5xx (a
 * refused recipient, a refused login) is not. nodemailer is imported only
 * when a mail is sent.
 */
import { rootCertificates } from 'node:tls';
import { escapeXml } from '../../drivers/xml.js';
import type { Translator } from '../../i18n/index.js';
import type { AlertMessage } from '../../model/alert.js';
import type { ChannelContext, ChannelKind, DeliveryOutcome } from '../channel.js';
import { renderAlert } from '../render.js';
import { detail, tr } from './http.js';
import { EmailConfig } from './schemas.js';

/** Node's and OpenSSL's words for a certificate that does not verify: a configuration to fix, not a retry. */
const CERT_ERRORS = /CERT|SELF[_-]SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|ALTNAME/i;

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** What a failed send means for the delivery worker. */
export function smtpOutcome(
  err: unknown,
  t: Translator,
  secrets: readonly (string | undefined)[],
): DeliveryOutcome {
  const e = (err ?? {}) as SmtpError;
  const rc = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said = detail(e.response ?? e.message ?? '', secrets);
  const transient = rc !== undefined && rc >= 400 && rc < 500;
  if (e.code === 'EAUTH')
    return {
      ok: false,
      retry: transient,
      reason: t('alerts.reason.smtp_auth', { detail: said ? `: ${said}` : '' }),
    };
  if (rc !== undefined)
    return {
      ok: false,
      retry: transient,
      reason: t('alerts.reason.smtp', { code: rc, detail: e.response ? `: ${said}` : '' }),
    };
  if (e.code === 'ETLS' || CERT_ERRORS.test(`${e.code ?? ''} ${e.message ?? ''}`))
    return { ok: false, retry: false, reason: t('alerts.reason.smtp_tls', { detail: said }) };
  // ECONNECTION, ETIMEDOUT, ESOCKET, EDNS...: the server or the path to it; try again later.
  return {
    ok: false,
    retry: true,
    reason: t('alerts.reason.smtp_conn', { detail: [e.code, said].filter(Boolean).join(': ') }),
  };
}

function html(lines: string[]): string {
  const [head = '', ...rest] = lines.map(escapeXml);
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p><strong>${head}</strong></p>`,
    ...rest.map((l) => `<p style="margin:0.3em 0">${l}</p>`),
    '</body></html>',
  ].join('\n');
}

/** `to`, and with to_site_contacts the e-mail of the site's technician and focal point (docs/alerts.md, e-mail). */
function recipients(message: AlertMessage, config: EmailConfig): string[] {
  const site = config.to_site_contacts
    ? [message.site.technician?.email, message.site.focalPoint?.email]
    : [];
  const out = [...config.to];
  for (const a of site) if (a && !out.some((b) => b.toLowerCase() === a.toLowerCase())) out.push(a);
  return out;
}

/** One attempt: connect, STARTTLS, login, send, within the attempt's time; the outcome, never a throw of a secret. */
async function deliver(
  message: AlertMessage,
  config: EmailConfig,
  ctx: ChannelContext,
  t: Translator,
): Promise<DeliveryOutcome> {
  const secrets = [config.password];
  const { createTransport } = await import('nodemailer');
  const secure = config.secure ?? false;
  const transport = createTransport({
    host: config.host,
    port: config.port ?? (secure ? 465 : 587),
    secure,
    requireTLS: !secure && (config.requireTLS ?? true),
    ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    tls: { rejectUnauthorized: true, ...(config.ca ? { ca: [...rootCertificates, config.ca] } : {}) },
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    dnsTimeout: ctx.timeoutMs,
    logger: false,
    debug: false,
  });
  const { subject, lines } = renderAlert(message);
  let stop: (() => void) | undefined;
  const stopped = new Promise<DeliveryOutcome>((resolve) => {
    const timer = setTimeout(
      () => resolve({ ok: false, retry: true, reason: t('alerts.reason.timeout', { ms: ctx.timeoutMs }) }),
      ctx.timeoutMs,
    );
    const onAbort = () => resolve({ ok: false, retry: true, reason: t('alerts.reason.cancelled') });
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    stop = () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    };
  });
  const sent = transport
    .sendMail({
      from: config.from,
      to: recipients(message, config),
      subject,
      text: `${lines.join('\n')}\n`,
      html: html(lines),
      headers: { 'X-Diemcau-Alert': `${message.id}:${message.state}` },
    })
    .then(
      (info): DeliveryOutcome => ({ ok: true, ...(info.messageId ? { ref: String(info.messageId) } : {}) }),
      (err: unknown) => smtpOutcome(err, t, secrets),
    );
  try {
    return await Promise.race([sent, stopped]);
  } finally {
    stop?.();
    transport.close();
  }
}

export const channel: ChannelKind<EmailConfig> = {
  kind: 'email',
  schema: EmailConfig,
  secrets: ['password'],
  async send(message, config, ctx) {
    const t = tr(message);
    if (ctx.signal.aborted) return { ok: false, retry: true, reason: t('alerts.reason.cancelled') };
    try {
      return await deliver(message, config, ctx, t);
    } catch (err) {
      return smtpOutcome(err, t, [config.password]);
    }
  },
};
