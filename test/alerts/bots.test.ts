/**
 * Zalo Bot, Zalo OA and Telegram against local servers that check the
 * documented request shape (method, path with the token, JSON fields,
 * lengths) and answer as the services document (docs/references.md §10).
 * Not the live services: there is no internet here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { channel as telegram } from '../../src/alerts/channels/telegram.js';
import { channel as zaloBot } from '../../src/alerts/channels/zalo-bot.js';
import { channel as zaloOa } from '../../src/alerts/channels/zalo-oa.js';
import { closedPortUrl, type Peer, peer, type Seen } from './http-peer.js';
import { ctx, SAMPLE_LINES_VI, sampleAlert } from './sample.js';

const BOT_TOKEN = '1459232241454765289:AbCdEf_gh-IJKLmnop';
const TG_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const OA_TOKEN = 'oa-access-token-4NzY5MjQ2NTg5Mg.hT2kl';

let peers: Peer[] = [];
async function service(answer: Parameters<typeof peer>[0]) {
  const p = await peer(answer);
  peers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(peers.map((p) => p.close()));
  peers = [];
});

/** Details long enough to pass any limit: Vietnamese with combining tone marks and emoji that must not be split. */
const LONG = Array.from({ length: 400 }, (_, i) => `Dòng ${i}: micro ngắt quãng 👨‍👩‍👧 cu\u0301ng phòng họp`);

/** The documented shape of a Telegram-like sendMessage: POST /bot<token>/sendMessage, JSON with exactly these keys. */
function botRequestProblem(req: Seen, token: string, keys: string[], maxText: number): string | undefined {
  if (req.method !== 'POST') return `method ${req.method}`;
  if (req.url !== `/bot${token}/sendMessage`) return `path ${req.url}`;
  if (!String(req.headers['content-type']).startsWith('application/json')) return 'content-type';
  const body = JSON.parse(req.body) as Record<string, unknown>;
  if (Object.keys(body).sort().join() !== [...keys].sort().join()) return `keys ${Object.keys(body)}`;
  const text = body.text;
  if (typeof text !== 'string' || text.length < 1 || text.length > maxText)
    return `text length ${String(text).length}`;
  return undefined;
}

/** `cut` is `full` cut at a grapheme boundary, with an ellipsis, within `max` UTF-16 units. */
function expectGraphemeCut(cut: string, full: string, max: number) {
  expect(cut.length).toBeLessThanOrEqual(max);
  expect(cut.endsWith('…')).toBe(true);
  const kept = cut.slice(0, -1);
  expect(full.startsWith(kept)).toBe(true);
  const seg = new Intl.Segmenter('vi', { granularity: 'grapheme' });
  const boundaries = new Set([...seg.segment(full.slice(0, max + 64))].map((s) => s.index));
  expect(boundaries.has(kept.length)).toBe(true);
}

describe('zalo-bot (Zalo Bot API sendMessage)', () => {
  const zaloAnswer = (problem: string | undefined) =>
    problem
      ? { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${problem}` } }
      : {
          status: 200,
          body: { ok: true, result: { message_id: '82599fa32f56d00e8941', date: 1749632637199 } },
        };

  it('sends {chat_id, text} to /bot<token>/sendMessage and keeps the message id', async () => {
    const zalo = await service((req) =>
      zaloAnswer(botRequestProblem(req, BOT_TOKEN, ['chat_id', 'text'], 2000)),
    );
    const out = await zaloBot.send(
      sampleAlert(),
      { token: BOT_TOKEN, chat_id: 'e4ea2cd5189df1c3a88c', base_url: zalo.url },
      ctx(),
    );
    expect(out).toEqual({ ok: true, ref: '82599fa32f56d00e8941' });
    const body = JSON.parse(zalo.seen[0]?.body ?? '');
    expect(body.chat_id).toBe('e4ea2cd5189df1c3a88c');
    expect(body.text.split('\n')).toEqual(SAMPLE_LINES_VI);
  });

  it('cuts a long message to 2,000 characters at a grapheme boundary, with an ellipsis', async () => {
    const zalo = await service((req) =>
      zaloAnswer(botRequestProblem(req, BOT_TOKEN, ['chat_id', 'text'], 2000)),
    );
    const m = sampleAlert({ details: LONG });
    expect((await zaloBot.send(m, { token: BOT_TOKEN, chat_id: 'c1', base_url: zalo.url }, ctx())).ok).toBe(
      true,
    );
    const text = JSON.parse(zalo.seen[0]?.body ?? '').text as string;
    expect(text.length).toBeGreaterThan(1900);
    const full = [
      'CẢNH BÁO: điểm cầu chưa sẵn sàng cho cuộc họp (từ 06:30 02/12/2026)',
      m.summary,
      ...LONG,
    ].join('\n');
    expectGraphemeCut(text, full, 2000);
  });

  it('a refused token is not retried; flood control and 5xx are; the token is never in the reason', async () => {
    const answers = [
      { status: 401, body: { ok: false, error_code: 401, description: `Unauthorized: bot${BOT_TOKEN}` } },
      {
        status: 429,
        body: { ok: false, error_code: 429, description: 'Too Many Requests' },
        headers: { 'retry-after': '3' },
      },
      { status: 502, body: '<html>Bad Gateway</html>' },
    ];
    const zalo = await service(() => answers.shift() ?? { status: 500 });
    const config = { token: BOT_TOKEN, chat_id: 'c1', base_url: zalo.url };
    const refused = await zaloBot.send(sampleAlert({ lang: 'en' }), config, ctx());
    expect(refused).toEqual({
      ok: false,
      retry: false,
      reason: 'the service refused the message: error 401: Unauthorized: bot***',
    });
    expect(await zaloBot.send(sampleAlert(), config, ctx())).toMatchObject({
      ok: false,
      retry: true,
      retryAfterMs: 3000,
    });
    expect(await zaloBot.send(sampleAlert(), config, ctx())).toMatchObject({ ok: false, retry: true });
    const gone = await zaloBot.send(sampleAlert(), { ...config, base_url: await closedPortUrl() }, ctx());
    expect(gone).toMatchObject({ ok: false, retry: true });
    for (const out of [refused, gone]) expect(JSON.stringify(out)).not.toContain(BOT_TOKEN.split(':')[1]);
  });
});

describe('telegram (Bot API sendMessage)', () => {
  /** Telegram counts the text after entity parsing: tags out, entities decoded. */
  const visible = (html: string) =>
    html
      .replace(/<\/?b>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  const tgAnswer = (req: Seen, keys: string[]) => {
    const problem = botRequestProblem(req, TG_TOKEN, keys, Number.POSITIVE_INFINITY);
    if (problem)
      return { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${problem}` } };
    const body = JSON.parse(req.body);
    const text = body.parse_mode === 'HTML' ? visible(body.text) : body.text;
    if (text.length > 4096)
      return {
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' },
      };
    return {
      status: 200,
      body: { ok: true, result: { message_id: 4242, date: 1764631800, chat: { id: body.chat_id }, text } },
    };
  };

  it('plain text by default: {chat_id, text}, no parse_mode', async () => {
    const tg = await service((req) => tgAnswer(req, ['chat_id', 'text']));
    const out = await telegram.send(
      sampleAlert(),
      { token: TG_TOKEN, chat_id: -1001234567890, base_url: tg.url },
      ctx(),
    );
    expect(out).toEqual({ ok: true, ref: '4242' });
    const body = JSON.parse(tg.seen[0]?.body ?? '');
    expect(body.chat_id).toBe(-1001234567890);
    expect(body.text).toContain('Điểm cầu: UBND xã Đông Tiến <Phòng họp 2> & "A"');
  });

  it('parse_mode HTML: the headline bold, everything from the site escaped, 4,096 visible characters at most', async () => {
    const tg = await service((req) => tgAnswer(req, ['chat_id', 'text', 'parse_mode']));
    const config = {
      token: TG_TOKEN,
      chat_id: '@canhbao_thanhhoa',
      parse_mode: 'HTML' as const,
      base_url: tg.url,
    };
    expect((await telegram.send(sampleAlert(), config, ctx())).ok).toBe(true);
    const body = JSON.parse(tg.seen[0]?.body ?? '');
    expect(body.parse_mode).toBe('HTML');
    expect(
      body.text.startsWith('<b>CẢNH BÁO: điểm cầu chưa sẵn sàng cho cuộc họp (từ 06:30 02/12/2026)</b>\n'),
    ).toBe(true);
    expect(body.text).toContain('UBND xã Đông Tiến &lt;Phòng họp 2&gt; &amp; &quot;A&quot;');
    const m = sampleAlert({ details: [...LONG, ...LONG].map((l) => `${l} <&>`) });
    expect((await telegram.send(m, config, ctx())).ok).toBe(true);
    const long = visible(JSON.parse(tg.seen[1]?.body ?? '').text);
    const full = [
      'CẢNH BÁO: điểm cầu chưa sẵn sàng cho cuộc họp (từ 06:30 02/12/2026)',
      m.summary,
      ...m.details,
    ].join('\n');
    expectGraphemeCut(long, full, 4096);
  });

  it('ok:false with error_code 429 and parameters.retry_after: retried after that many seconds', async () => {
    const tg = await service(() => ({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 17',
        parameters: { retry_after: 17 },
      },
    }));
    const out = await telegram.send(
      sampleAlert({ lang: 'en' }),
      { token: TG_TOKEN, chat_id: 1, base_url: tg.url },
      ctx(),
    );
    expect(out).toEqual({
      ok: false,
      retry: true,
      retryAfterMs: 17_000,
      reason: 'the service refused the message: error 429: Too Many Requests: retry after 17',
    });
  });

  it('chat not found and a bad token are not retried; the token never shows', async () => {
    const answers = [
      { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
      { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } },
    ];
    const tg = await service(() => answers.shift() ?? { status: 500 });
    const config = { token: TG_TOKEN, chat_id: 1, base_url: tg.url };
    for (const out of [
      await telegram.send(sampleAlert(), config, ctx()),
      await telegram.send(sampleAlert(), config, ctx()),
    ]) {
      expect(out).toMatchObject({ ok: false, retry: false });
      expect(JSON.stringify(out)).not.toContain(TG_TOKEN);
    }
  });
});

describe('zalo-oa (Official Account message API v3)', () => {
  const oa = (check: (req: Seen) => string | undefined) =>
    service((req) => {
      if (req.headers.access_token !== OA_TOKEN)
        return {
          status: 200,
          body: { error: -216, message: `Access token is invalid: ${req.headers.access_token}` },
        };
      const problem = check(req);
      if (problem) return { status: 200, body: { error: -201, message: `Parameter is invalid: ${problem}` } };
      return {
        status: 200,
        body: {
          data: { message_id: 'a8f3cd9e07f8e4a6bde9', user_id: '2468458835296197922' },
          error: 0,
          message: 'Success',
        },
      };
    });

  it('a consultation (cs) message: POST /v3.0/oa/message/cs, access_token header, {recipient: {user_id}, message: {text}}', async () => {
    const z = await oa((req) => {
      if (req.method !== 'POST' || req.url !== '/v3.0/oa/message/cs') return `${req.method} ${req.url}`;
      const body = JSON.parse(req.body);
      if (Object.keys(body).sort().join() !== 'message,recipient') return 'keys';
      if (Object.keys(body.message).join() !== 'text' || body.message.text.length > 2000) return 'message';
      return body.recipient.user_id === '2468458835296197922' ? undefined : 'user_id';
    });
    const config = { token: OA_TOKEN, user_id: '2468458835296197922', base_url: z.url };
    expect(await zaloOa.send(sampleAlert({ details: LONG }), config, ctx())).toEqual({
      ok: true,
      ref: 'a8f3cd9e07f8e4a6bde9',
    });
    const text = JSON.parse(z.seen[0]?.body ?? '').message.text as string;
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith('…')).toBe(true);
  });

  it('a transaction message: /v3.0/oa/message/transaction with the transaction_order template', async () => {
    const z = await oa((req) => {
      if (req.url !== '/v3.0/oa/message/transaction') return req.url;
      const payload = JSON.parse(req.body).message?.attachment?.payload;
      if (payload?.template_type !== 'transaction_order' || payload.language !== 'VI') return 'template';
      return payload.elements?.map((e: { type: string }) => e.type).join() === 'header,text'
        ? undefined
        : 'elements';
    });
    const out = await zaloOa.send(
      sampleAlert(),
      { token: OA_TOKEN, user_id: '1', message: 'transaction', base_url: z.url },
      ctx(),
    );
    expect(out).toEqual({ ok: true, ref: 'a8f3cd9e07f8e4a6bde9' });
  });

  it('an OA error (a bad token) is not retried and the token never shows; 503 is retried', async () => {
    const z = await oa(() => undefined);
    const wrong = `${OA_TOKEN}-expired`;
    const out = await zaloOa.send(
      sampleAlert({ lang: 'en' }),
      { token: wrong, user_id: '1', base_url: z.url },
      ctx(),
    );
    expect(out).toEqual({
      ok: false,
      retry: false,
      reason: 'the service refused the message: error -216: Access token is invalid: ***',
    });
    const busy = await service(() => ({ status: 503, headers: { 'retry-after': '60' } }));
    expect(
      await zaloOa.send(sampleAlert(), { token: OA_TOKEN, user_id: '1', base_url: busy.url }, ctx()),
    ).toMatchObject({
      ok: false,
      retry: true,
      retryAfterMs: 60_000,
    });
  });
});
