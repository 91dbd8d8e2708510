/**
 * Poly REST, both generations (docs/drivers.md has the table of what each
 * reports and where each fact comes from): VideoOS (G7500, Studio X) and
 * RealPresence Group Series. Login: `POST /rest/current/session {user,
 * password}` (`/rest/session` when that path is unknown); later requests send
 * the `session_id` and `XSRF-TOKEN` cookies plus an `x-xsrf-token` header
 * (the token comes from Set-Cookie on any reply). An expired session answers
 * 403: log in again once. `close()` logs out (`DELETE /rest/current/session`,
 * inferred from the REST style; a codec that does not know it is ignored).
 * Some endpoints answer a bare scalar (`true`, `39`, `CONTENT_IDLE`).
 */
import { CancelledError, DriverError } from '../errors.js';
import type { CodecAccess } from '../model/codec.js';
import { authError, badReply, httpError, notReported } from './errors.js';
import { cookiesOf, type HttpClient, type HttpReply, openCodecHttp } from './http.js';
import { notFormat, registrationState, safeRaw } from './normalize.js';
import {
  type CallInfo,
  type CallState,
  type ChannelStats,
  type CodecDriver,
  type Device,
  type Diagnostic,
  type DialRequest,
  DRIVER_ERRORS,
  type DriverContext,
  type Identity,
  type MediaStats,
  type PeripheralKind,
  type Peripherals,
  type Registration,
  type RegistrationEntry,
  type RegistrationState,
} from './types.js';

type Json = unknown;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const numOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** JSON, or the bare word some endpoints send unquoted (`CONTENT_IDLE`). Throws SyntaxError on garbage. */
export function parseJsonBody(body: string): Json {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(text)) return text;
    throw err;
  }
}

/**
 * What a Poly status word means, matched exactly (lower case): the words
 * seen on real units. Anything else is `unrecognised` and shown raw.
 */
export const POLY_STATUS_WORDS = {
  up: 'ok',
  all_up: 'ok',
  some_up: 'partial',
  none_up: 'down',
  down: 'down',
  off: 'off',
  unknown: 'unknown',
  full: 'full',
} as const;
export type PolyStatusMeaning = (typeof POLY_STATUS_WORDS)[keyof typeof POLY_STATUS_WORDS] | 'unrecognised';

export function polyStatusWord(raw: string): PolyStatusMeaning {
  const key = raw.trim().toLowerCase();
  return Object.hasOwn(POLY_STATUS_WORDS, key)
    ? POLY_STATUS_WORDS[key as keyof typeof POLY_STATUS_WORDS]
    : 'unrecognised';
}

/** One line of `/rest/system/status`: VideoOS `langtag` + `stateList`, Group Series `languageTag` + `state`. */
export interface PolyStatusLine {
  name: string;
  tag: string;
  words: string[];
}

export function polyStatusLines(body: unknown): PolyStatusLine[] {
  if (!Array.isArray(body)) return [];
  return body.filter(isObj).map((s) => {
    const states = s.stateList ?? s.state;
    const words = (
      Array.isArray(states) ? states : states === undefined || states === null ? [] : [states]
    ).map((w) => safeRaw(w));
    return { name: safeRaw(s.name), tag: safeRaw(s.langtag ?? s.languageTag), words };
  });
}

const RANK: Record<PolyStatusMeaning, number> = {
  ok: 0,
  off: 0,
  unknown: 1,
  partial: 2,
  full: 2,
  unrecognised: 3,
  down: 4,
};

/** The worst meaning among a line's words ('unknown' for a line with none). */
export function worstMeaning(words: readonly string[]): PolyStatusMeaning {
  let worst: PolyStatusMeaning = words.length ? 'ok' : 'unknown';
  for (const w of words) {
    const m = polyStatusWord(w);
    if (RANK[m] > RANK[worst]) worst = m;
  }
  return worst;
}

const REG_OF: Record<PolyStatusMeaning, RegistrationState> = {
  ok: 'registered',
  partial: 'registered',
  down: 'failed',
  off: 'inactive',
  unknown: 'inactive',
  full: 'failed',
  unrecognised: 'failed',
};

/** Status line names per fact, VideoOS and Group Series (docs/drivers.md). */
const LINES = {
  sip: ['system.status.sipserver'],
  h323: ['system.status.gatekeeper'],
  cameras: ['system.status.mr.camera', 'system.status.trackablecamera', 'system.status.camera'],
  microphones: ['system.status.mr.audio', 'system.status.microphones'],
} as const;

/** A placeholder conference (idle Group Series, beside a real call on VideoOS): not a call. */
const isPlaceholder = (c: Obj) => c.isPendingConference === true || str(c.id) === 'PENDING';

export function polyCallState(raw: string): CallState {
  const s = raw.toUpperCase();
  if (s.includes('DISCONNECTING')) return 'disconnecting';
  if (s.includes('DISCONNECTED') || s === 'IDLE') return 'idle';
  if (s.includes('CONNECTED') || s === 'ACTIVE') return 'connected';
  if (s.includes('RING') || s.includes('ALERT')) return 'ringing';
  if (s.includes('DIAL')) return 'dialling';
  if (s.includes('CONNECTING') || s.includes('PROCEEDING')) return 'connecting';
  if (s.includes('HOLD')) return 'on_hold';
  return 'other';
}

/** What the views of one driver share: the HTTP client and the one session. */
interface PolyShared {
  http: HttpClient;
  login: Promise<string> | undefined;
  /** The login path the codec knew (`/rest/current/session`, or `/rest/session` on older units). */
  loginPath: string;
  xsrf: string | undefined;
  closed: boolean;
}

const LOGIN_PATHS = ['/rest/current/session', '/rest/session'] as const;

export class PolyDriver implements CodecDriver {
  readonly name = 'poly' as const;
  private readonly s: PolyShared;
  private readonly host: string;
  private readonly user: string;
  private readonly password: string;
  private readonly view: boolean;

  constructor(
    private readonly codec: CodecAccess,
    private readonly ctx: DriverContext,
    shared?: PolyShared,
  ) {
    const opened = openCodecHttp(codec, ctx, 'poly');
    ({ host: this.host, user: this.user } = opened);
    this.password = codec.password ?? '';
    this.view = shared !== undefined;
    this.s = shared ?? {
      http: opened.http,
      login: undefined,
      loginPath: LOGIN_PATHS[0],
      xsrf: undefined,
      closed: false,
    };
  }

  bind(signal: AbortSignal): CodecDriver {
    return new PolyDriver(this.codec, { ...this.ctx, signal }, this.s);
  }

  private remember(res: HttpReply): void {
    const token = cookiesOf(res.headers)['XSRF-TOKEN'];
    if (token) this.s.xsrf = token;
  }

  /** Log in once (single flight, shared by every view); resolves to the session id. */
  private session(): Promise<string> {
    const s = this.s;
    s.login ??= (async () => {
      // Detached, like Cisco's session begin: a session the codec opened must be closed by us.
      let res: HttpReply | undefined;
      for (const path of LOGIN_PATHS) {
        res = await s.http.request({
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ user: this.user, password: this.password }),
          detached: true,
        });
        s.loginPath = path;
        if (res.status !== 404) break;
      }
      const what = s.loginPath;
      if (!res) throw badReply(this.ctx.t, this.host, what, 'no reply');
      this.remember(res);
      if (res.status === 401 || res.status === 403) throw authError(this.ctx.t, this.host, this.user);
      if (res.status >= 400) throw httpError(this.ctx.t, this.host, this.user, res.status, what);
      let body: Json;
      try {
        body = parseJsonBody(res.text);
      } catch {
        throw badReply(this.ctx.t, this.host, what, notJson(res.text));
      }
      const id = isObj(body) && isObj(body.session) ? str(body.session.sessionId) : undefined;
      if (isObj(body) && body.success === false) throw authError(this.ctx.t, this.host, this.user);
      const cookie = cookiesOf(res.headers).session_id;
      const sessionId = id ?? cookie;
      if (!sessionId) throw badReply(this.ctx.t, this.host, what, 'no sessionId');
      return sessionId;
    })();
    const login = s.login;
    login.catch(() => {
      if (s.login === login) s.login = undefined;
    });
    return login;
  }

  private headers(sessionId: string, json: boolean): Record<string, string> {
    const xsrf = this.s.xsrf;
    const cookie = [`session_id=${sessionId}`, ...(xsrf ? [`XSRF-TOKEN=${xsrf}`] : [])].join('; ');
    return {
      cookie,
      accept: 'application/json',
      ...(xsrf ? { 'x-xsrf-token': xsrf } : {}),
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  /**
   * One REST call; a 403 means the session expired: log in again once (one
   * new session for all the parallel requests that saw it expire).
   * `detached`: not stopped by the caller's signal (hanging up after Ctrl-C).
   */
  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    detached = false,
    retried = false,
  ): Promise<{ status: number; body: Json }> {
    if (this.s.closed) throw new DriverError(DRIVER_ERRORS.cancelled, this.ctx.t('codec.err.cancelled'));
    const login = this.session();
    const sessionId = await login;
    if (this.ctx.signal?.aborted && !detached) throw new CancelledError(this.ctx.t('codec.err.cancelled'));
    const res = await this.s.http.request({
      method,
      path,
      headers: this.headers(sessionId, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      detached,
      ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
    });
    this.remember(res);
    if (res.status === 403 && !retried) {
      // Expired, or refused: log out the old session (best effort, sessions are capped), then log in again.
      if (this.s.login === login) {
        this.s.login = undefined;
        await this.logout(sessionId);
      }
      return this.call(method, path, body, detached, true);
    }
    if (res.status === 404) return { status: 404, body: undefined };
    if (res.status >= 400) throw httpError(this.ctx.t, this.host, this.user, res.status, path);
    try {
      return { status: res.status, body: parseJsonBody(res.text) };
    } catch {
      throw badReply(this.ctx.t, this.host, path, notJson(res.text));
    }
  }

  private async get(path: string, detached = false): Promise<Json> {
    const res = await this.call('GET', path, undefined, detached);
    if (res.status === 404) throw httpError(this.ctx.t, this.host, this.user, 404, path);
    return res.body;
  }

  private array(body: Json, path: string): Obj[] {
    if (!Array.isArray(body)) throw badReply(this.ctx.t, this.host, path, 'expected a JSON array');
    return body.filter(isObj);
  }

  private async getArray(path: string, detached = false): Promise<Obj[]> {
    return this.array(await this.get(path, detached), path);
  }

  /** A path only some generations have: undefined when this model answers 404. */
  private async optional(method: 'GET' | 'POST', path: string): Promise<Json | undefined> {
    const res = await this.call(method, path);
    return res.status === 404 ? undefined : res.body;
  }

  private async optionalArray(method: 'GET' | 'POST', path: string): Promise<Obj[] | undefined> {
    const body = await this.optional(method, path);
    return body === undefined ? undefined : this.array(body, path);
  }

  /** `/rest/system/status` in either generation's keys; undefined when the model has no such path. */
  private async statusLines(): Promise<PolyStatusLine[] | undefined> {
    const body = await this.optional('GET', '/rest/system/status');
    if (body === undefined) return undefined;
    this.array(body, '/rest/system/status');
    return polyStatusLines(body);
  }

  async identify(): Promise<Identity> {
    const sys = await this.get('/rest/system');
    if (!isObj(sys)) throw badReply(this.ctx.t, this.host, '/rest/system', 'expected a JSON object');
    const state = str(sys.state);
    const id: Identity = {
      vendor: 'Poly',
      model: safeRaw(str(sys.model) ?? 'Poly'),
      software: safeRaw(str(sys.softwareVersion) ?? ''),
      awake: state === undefined || state.toUpperCase() !== 'ASLEEP',
      powerState: safeRaw(state ?? 'UNKNOWN'),
    };
    if (state === undefined) id.powerUnknown = true;
    const serial = str(sys.serialNumber);
    if (serial) id.serial = safeRaw(serial);
    const name = str(sys.systemName);
    if (name) id.name = safeRaw(name);
    const uptime = numOf(sys.uptime);
    if (uptime !== undefined) id.uptimeS = Math.round(uptime);
    return id;
  }

  async registration(): Promise<Registration> {
    const [sipServers, gatekeepers, lines] = await Promise.all([
      this.optionalArray('GET', '/rest/system/sipservers'),
      this.optionalArray('GET', '/rest/system/h323gatekeepers'),
      this.statusLines(),
    ]);
    const entry =
      (protocol: 'sip' | 'h323') =>
      (s: Obj): RegistrationEntry => {
        const raw = safeRaw(str(s.state) ?? '');
        const meaning = polyStatusWord(raw);
        const e: RegistrationEntry = {
          protocol,
          state: meaning === 'unrecognised' ? registrationState(raw) : REG_OF[meaning],
          raw,
        };
        const address = str(s.address);
        if (address) e.target = safeRaw(address);
        return e;
      };
    // Group Series: no server lists, but the status page has a line per protocol.
    const fromLine = (protocol: 'sip' | 'h323'): RegistrationEntry[] | undefined => {
      const line = lines?.find((l) => (LINES[protocol] as readonly string[]).includes(l.name));
      if (!line) return undefined;
      const meaning = worstMeaning(line.words);
      return [{ protocol, state: REG_OF[meaning], raw: line.words.join(',') }];
    };
    const sip = sipServers?.map(entry('sip')) ?? fromLine('sip');
    const h323 = gatekeepers?.map(entry('h323')) ?? fromLine('h323');
    if (sip === undefined && h323 === undefined)
      throw notReported(this.ctx.t, 'registration', '/rest/system/sipservers');
    return { sip: sip ?? [], h323: h323 ?? [] };
  }

  async peripherals(): Promise<Peripherals> {
    const [mics, devices, muted] = await Promise.all([
      this.optionalArray('GET', '/rest/audio/microphones'),
      // Undocumented (seen on VideoOS only); without it, cameras come from the status page.
      this.optionalArray('POST', '/rest/current/devicemanagement/devices'),
      this.optional('GET', '/rest/audio/muted'),
    ]);
    const lines = mics && devices ? undefined : await this.statusLines();
    const unreported: PeripheralKind[] = [];
    /** Nothing said about this kind: an empty list that means "unknown". */
    const none = (kind: PeripheralKind): Device[] => {
      unreported.push(kind);
      return [];
    };
    const fromLine = (fact: 'cameras' | 'microphones'): Device[] | undefined => {
      const line = lines?.find((l) => (LINES[fact] as readonly string[]).includes(l.name));
      if (!line) return undefined;
      const m = worstMeaning(line.words);
      return [
        {
          id: line.name,
          name: line.tag,
          connected: m === 'ok' || m === 'partial',
          raw: line.words.join(','),
        },
      ];
    };
    const microphones: Device[] =
      mics?.map((m) => {
        const raw = safeRaw(str(m.state) ?? '');
        const d: Device = {
          id: str(m.number) ?? '?',
          connected: !/DISCONNECT|NOT_CONNECTED|OFFLINE|MISSING/i.test(raw),
          raw,
        };
        const name = str(m.typeInString);
        if (name) d.name = safeRaw(name);
        return d;
      }) ??
      fromLine('microphones') ??
      none('microphones');
    const device = (d: Obj): Device => {
      const raw = safeRaw(str(d.deviceState) ?? '');
      const dev: Device = {
        id: safeRaw(str(d.uid) ?? str(d.serialNumber) ?? '?'),
        connected: /^(CONNECTED|PAIRED)$/i.test(raw),
        raw,
      };
      const name = str(d.productName);
      if (name) dev.name = safeRaw(name);
      return dev;
    };
    const cameras =
      devices?.filter((d) => str(d.deviceCategory) === 'CAMERA').map(device) ??
      fromLine('cameras') ??
      none('cameras');
    const out: Peripherals = { cameras, microphones };
    if (devices) out.touchPanels = devices.filter((d) => str(d.deviceType) === 'TOUCHCONTROL').map(device);
    else unreported.push('touchPanels');
    if (unreported.length) out.unreported = unreported;
    if (typeof muted === 'boolean') out.micMuted = muted;
    return out;
  }

  async diagnostics(): Promise<Diagnostic[]> {
    const lines = await this.statusLines();
    if (lines === undefined) throw notReported(this.ctx.t, 'diagnostics', '/rest/system/status');
    const out: Diagnostic[] = [];
    for (const line of lines) {
      const meaning = worstMeaning(line.words);
      const joined = line.words.join(', ');
      const description = `${line.tag || line.name}: ${joined}`;
      if (meaning === 'down') out.push({ level: 'error', type: line.name, description });
      else if (meaning === 'partial' || meaning === 'full')
        out.push({ level: 'warning', type: line.name, description });
      else if (meaning === 'unrecognised')
        out.push({
          level: 'warning',
          type: line.name,
          description: this.ctx.t('codec.diag.unknown_word', { line: line.tag || line.name, word: joined }),
          raw: joined,
        });
    }
    return out;
  }

  calls(): Promise<CallInfo[]> {
    return this.listCalls(false);
  }

  private async listCalls(detached: boolean): Promise<CallInfo[]> {
    const confs = await this.getArray('/rest/conferences', detached);
    const out: CallInfo[] = [];
    for (const c of confs) {
      const conns = Array.isArray(c.connections) ? c.connections.filter(isObj) : [];
      if (isPlaceholder(c)) {
        // The placeholder is no call; a call ringing in on it is (listed by its connection id).
        for (const conn of conns) {
          const raw = safeRaw(str(conn.state) ?? '');
          const state = polyCallState(raw);
          const id = str(conn.id);
          if (!id || state === 'idle' || out.some((o) => o.id === id)) continue;
          out.push(this.callInfo(c, conn, id, raw));
        }
        continue;
      }
      const first = conns[0];
      const raw = safeRaw(str(first?.state) ?? (c.isActive === true ? 'ACTIVE' : 'CONNECTING'));
      out.push(this.callInfo(c, first, str(c.id) ?? '?', raw));
    }
    return out;
  }

  private callInfo(conf: Obj, conn: Obj | undefined, id: string, raw: string): CallInfo {
    const terms = Array.isArray(conf.terminals) ? conf.terminals.filter(isObj) : [];
    const info: CallInfo = {
      id: safeRaw(id),
      remote: safeRaw(str(conn?.address) ?? str(terms[0]?.address) ?? ''),
      state: polyCallState(raw),
      raw,
    };
    if (typeof conn?.incoming === 'boolean') info.direction = conn.incoming ? 'incoming' : 'outgoing';
    const callType = str(conn?.callType);
    if (callType) info.protocol = safeRaw(callType);
    const rate = numOf(conn?.rate);
    if (rate !== undefined) info.rateKbps = rate;
    // The device's own count first; the start time only when it gives none.
    const duration = numOf(conn?.duration) ?? numOf(conf.duration);
    const start = numOf(conf.startTime) ?? numOf(conn?.startTime);
    if (duration !== undefined && (duration > 0 || start === undefined))
      info.durationS = Math.round(duration);
    else if (start !== undefined)
      info.durationS = Math.max(0, Math.round(Date.now() / 1000 - (start > 1e11 ? start / 1000 : start)));
    return info;
  }

  async dial(req: DialRequest): Promise<{ callId: string }> {
    const dialType = req.protocol === 'h323' ? 'H323' : req.protocol === 'sip' ? 'SIP' : 'AUTO';
    const body: Obj = { address: req.number, dialType };
    if (req.rateKbps) body.rate = req.rateKbps;
    const res = await this.call('POST', '/rest/conferences', body);
    if (res.status === 404) throw httpError(this.ctx.t, this.host, this.user, 404, '/rest/conferences');
    const first = Array.isArray(res.body) ? res.body[0] : undefined;
    const href = isObj(first) ? str(first.href) : undefined;
    const m = href ? /\/rest\/conferences\/([^/]+)/.exec(href) : null;
    if (!m?.[1])
      throw badReply(this.ctx.t, this.host, 'POST /rest/conferences', 'no href to the new connection');
    return { callId: decodeURIComponent(m[1]) };
  }

  /** Detached from the caller's signal: a call we placed must be hung up even after Ctrl-C. */
  async hangup(callId?: string): Promise<void> {
    const ids = callId === undefined ? (await this.listCalls(true)).map((c) => c.id) : [callId];
    for (const id of ids) {
      const res = await this.call('DELETE', `/rest/conferences/${encodeURIComponent(id)}`, undefined, true);
      if (res.status === 404)
        throw new DriverError(DRIVER_ERRORS.noCall, this.ctx.t('codec.err.no_call', { id }));
    }
  }

  async mediaStats(callId: string): Promise<MediaStats> {
    const path = `/rest/conferences/${encodeURIComponent(callId)}/mediastats`;
    const res = await this.call('GET', path);
    if (res.status === 404)
      throw new DriverError(DRIVER_ERRORS.noCall, this.ctx.t('codec.err.no_call', { id: callId }));
    const channels: ChannelStats[] = this.array(res.body, path).map((s) => {
      const type = (str(s.mediaType) ?? '').toUpperCase();
      const ch: ChannelStats = {
        direction: (str(s.mediaDirection) ?? '').toUpperCase() === 'TX' ? 'tx' : 'rx',
        media: type === 'AUDIO' ? 'audio' : type === 'VIDEO' ? 'video' : 'data',
      };
      const codec = str(s.mediaAlgorithm);
      if (codec) ch.codec = safeRaw(codec);
      const rate = numOf(s.actualBitRate) ?? numOf(s.bitRate);
      if (rate !== undefined) ch.rateKbps = rate;
      const jitter = numOf(s.jitter);
      if (jitter !== undefined) ch.jitterMs = jitter;
      const pct = numOf(s.percentPacketLoss);
      if (pct !== undefined) ch.lossPct = pct;
      const lost = numOf(s.packetLoss);
      if (lost !== undefined) ch.lost = lost;
      return ch;
    });
    return { callId, channels };
  }

  /** End one session (detached, best effort). */
  private async logout(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    await this.s.http
      .request({
        method: 'DELETE',
        path: this.s.loginPath,
        headers: this.headers(sessionId, false),
        detached: true,
      })
      .catch(() => {});
  }

  async close(): Promise<void> {
    const s = this.s;
    if (this.view || s.closed) return;
    s.closed = true;
    try {
      await this.logout(await s.login?.catch(() => undefined));
    } finally {
      await s.http.close();
    }
  }
}

/** Why a body is not JSON, with its start shown (made safe). */
export const notJson = (body: string): string => notFormat(body, 'JSON', 'not JSON: {start}');
