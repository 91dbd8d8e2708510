/**
 * Poly VideoOS REST (G7500, Studio X; reference/codec-apis.md §2.1).
 * Login: `POST /rest/current/session {user, password}`; later requests send
 * the `session_id` and `XSRF-TOKEN` cookies plus an `x-xsrf-token` header
 * (the token comes from Set-Cookie on any reply). An expired session answers
 * 403: log in again once. `close()` logs out (`DELETE /rest/current/session`,
 * inferred from the REST style; a codec that does not know it is ignored).
 * Some endpoints answer a bare scalar (`true`, `39`, `CONTENT_IDLE`).
 */
import { CancelledError, DriverError } from '../errors.js';
import type { CodecConfig } from '../model/codec.js';
import { authError, badReply, httpError } from './errors.js';
import { cookiesOf, type HttpClient, type HttpReply, openCodecHttp } from './http.js';
import { registrationState } from './normalize.js';
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
  type Peripherals,
  type Registration,
  type RegistrationEntry,
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

export class PolyDriver implements CodecDriver {
  readonly name = 'poly' as const;
  private readonly http: HttpClient;
  private readonly host: string;
  private readonly user: string;
  private readonly password: string;
  private login: Promise<string> | undefined;
  private xsrf: string | undefined;
  private closed = false;

  constructor(
    codec: CodecConfig,
    private readonly ctx: DriverContext,
  ) {
    ({ http: this.http, host: this.host, user: this.user } = openCodecHttp(codec, ctx, 'poly'));
    this.password = codec.password ?? '';
  }

  private remember(res: HttpReply): void {
    const token = cookiesOf(res.headers)['XSRF-TOKEN'];
    if (token) this.xsrf = token;
  }

  /** Log in once (single flight); resolves to the session id. */
  private session(): Promise<string> {
    this.login ??= (async () => {
      // Detached, like Cisco's session begin: a session the codec opened must be closed by us.
      const res = await this.http.request({
        method: 'POST',
        path: '/rest/current/session',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ user: this.user, password: this.password }),
        detached: true,
      });
      this.remember(res);
      if (res.status === 401 || res.status === 403) throw authError(this.ctx.t, this.host, this.user);
      if (res.status >= 400)
        throw httpError(this.ctx.t, this.host, this.user, res.status, '/rest/current/session');
      let body: Json;
      try {
        body = parseJsonBody(res.text);
      } catch {
        throw badReply(this.ctx.t, this.host, '/rest/current/session', 'not JSON');
      }
      const id = isObj(body) && isObj(body.session) ? str(body.session.sessionId) : undefined;
      if (isObj(body) && body.success === false) throw authError(this.ctx.t, this.host, this.user);
      const cookie = cookiesOf(res.headers).session_id;
      const sessionId = id ?? cookie;
      if (!sessionId) throw badReply(this.ctx.t, this.host, '/rest/current/session', 'no sessionId');
      return sessionId;
    })();
    this.login.catch(() => {
      this.login = undefined;
    });
    return this.login;
  }

  private headers(sessionId: string, json: boolean): Record<string, string> {
    const cookie = [`session_id=${sessionId}`, ...(this.xsrf ? [`XSRF-TOKEN=${this.xsrf}`] : [])].join('; ');
    return {
      cookie,
      accept: 'application/json',
      ...(this.xsrf ? { 'x-xsrf-token': this.xsrf } : {}),
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  /**
   * One REST call; a 403 means the session expired: log in again once.
   * `detached`: not stopped by the caller's signal (hanging up after Ctrl-C).
   */
  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    detached = false,
    retried = false,
  ): Promise<{ status: number; body: Json }> {
    if (this.closed) throw new DriverError(DRIVER_ERRORS.cancelled, this.ctx.t('codec.err.cancelled'));
    const sessionId = await this.session();
    if (this.ctx.signal?.aborted && !detached) throw new CancelledError(this.ctx.t('codec.err.cancelled'));
    const res = await this.http.request({
      method,
      path,
      headers: this.headers(sessionId, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      detached,
    });
    this.remember(res);
    if (res.status === 403 && !retried) {
      this.login = undefined;
      return this.call(method, path, body, detached, true);
    }
    if (res.status === 404) return { status: 404, body: undefined };
    if (res.status >= 400) throw httpError(this.ctx.t, this.host, this.user, res.status, path);
    try {
      return { status: res.status, body: parseJsonBody(res.text) };
    } catch {
      throw badReply(this.ctx.t, this.host, path, 'not JSON');
    }
  }

  private async get(path: string, detached = false): Promise<Json> {
    const res = await this.call('GET', path, undefined, detached);
    if (res.status === 404) throw httpError(this.ctx.t, this.host, this.user, 404, path);
    return res.body;
  }

  private async getArray(path: string, detached = false): Promise<Obj[]> {
    const body = await this.get(path, detached);
    if (!Array.isArray(body)) throw badReply(this.ctx.t, this.host, path, 'expected a JSON array');
    return body.filter(isObj);
  }

  async identify(): Promise<Identity> {
    const sys = await this.get('/rest/system');
    if (!isObj(sys)) throw badReply(this.ctx.t, this.host, '/rest/system', 'expected a JSON object');
    const state = str(sys.state) ?? 'UNKNOWN';
    const id: Identity = {
      vendor: 'Poly',
      model: str(sys.model) ?? 'Poly',
      software: str(sys.softwareVersion) ?? '',
      awake: state.toUpperCase() !== 'ASLEEP',
      powerState: state,
    };
    const serial = str(sys.serialNumber);
    if (serial) id.serial = serial;
    const name = str(sys.systemName);
    if (name) id.name = name;
    const uptime = numOf(sys.uptime);
    if (uptime !== undefined) id.uptimeS = Math.round(uptime);
    return id;
  }

  async registration(): Promise<Registration> {
    const [sip, h323] = await Promise.all([
      this.getArray('/rest/system/sipservers'),
      this.getArray('/rest/system/h323gatekeepers'),
    ]);
    const entry =
      (protocol: 'sip' | 'h323') =>
      (s: Obj): RegistrationEntry => {
        const raw = str(s.state) ?? '';
        const e: RegistrationEntry = {
          protocol,
          state: raw.toLowerCase() === 'up' ? 'registered' : registrationState(raw),
          raw,
        };
        const address = str(s.address);
        if (address) e.target = address;
        return e;
      };
    return { sip: sip.map(entry('sip')), h323: h323.map(entry('h323')) };
  }

  async peripherals(): Promise<Peripherals> {
    const [mics, devices, muted] = await Promise.all([
      this.getArray('/rest/audio/microphones'),
      // Undocumented (AVI-SPL); when absent, fall back on the camera line of /rest/system/status.
      this.call('POST', '/rest/current/devicemanagement/devices').then((r) =>
        Array.isArray(r.body) ? r.body.filter(isObj) : undefined,
      ),
      this.call('GET', '/rest/audio/muted').then((r) => r.body),
    ]);
    const microphones: Device[] = mics.map((m) => {
      const raw = str(m.state) ?? '';
      const d: Device = {
        id: str(m.number) ?? '?',
        connected: !/DISCONNECT|NOT_CONNECTED|OFFLINE|MISSING/i.test(raw),
        raw,
      };
      const name = str(m.typeInString);
      if (name) d.name = name;
      return d;
    });
    let cameras: Device[];
    if (devices) {
      cameras = devices
        .filter((d) => str(d.deviceCategory) === 'CAMERA')
        .map((d) => {
          const raw = str(d.deviceState) ?? '';
          const dev: Device = {
            id: str(d.uid) ?? str(d.serialNumber) ?? '?',
            connected: /^(CONNECTED|PAIRED)$/i.test(raw),
            raw,
          };
          const name = str(d.productName);
          if (name) dev.name = name;
          return dev;
        });
    } else {
      const status = await this.getArray('/rest/system/status');
      const cam = status.find((s) => s.name === 'system.status.mr.camera');
      const states = Array.isArray(cam?.stateList) ? cam.stateList.map(String) : [];
      cameras = cam ? [{ id: '1', connected: states.some((s) => /up/i.test(s)), raw: states.join(',') }] : [];
    }
    const out: Peripherals = { cameras, microphones };
    if (typeof muted === 'boolean') out.micMuted = muted;
    return out;
  }

  async diagnostics(): Promise<Diagnostic[]> {
    const status = await this.getArray('/rest/system/status');
    const out: Diagnostic[] = [];
    for (const s of status) {
      const states = Array.isArray(s.stateList) ? s.stateList.map(String) : [];
      const joined = states.join(', ');
      const level = /down|error|fail|alarm|critical/i.test(joined)
        ? 'error'
        : /warn|degraded|partial/i.test(joined)
          ? 'warning'
          : undefined;
      if (level)
        out.push({ level, type: str(s.name) ?? '', description: `${str(s.langtag) ?? ''}: ${joined}` });
    }
    return out;
  }

  calls(): Promise<CallInfo[]> {
    return this.listCalls(false);
  }

  private async listCalls(detached: boolean): Promise<CallInfo[]> {
    const confs = await this.getArray('/rest/conferences', detached);
    return confs.map((c) => {
      const conns = Array.isArray(c.connections) ? c.connections.filter(isObj) : [];
      const terms = Array.isArray(c.terminals) ? c.terminals.filter(isObj) : [];
      const first = conns[0];
      const raw = str(first?.state) ?? (c.isActive === true ? 'ACTIVE' : 'CONNECTING');
      const info: CallInfo = {
        id: str(c.id) ?? '?',
        remote: str(first?.address) ?? str(terms[0]?.address) ?? '',
        state: polyCallState(raw),
        raw,
      };
      const callType = str(first?.callType);
      if (callType) info.protocol = callType;
      const rate = numOf(first?.rate);
      if (rate !== undefined) info.rateKbps = rate;
      const start = numOf(c.startTime);
      if (start !== undefined)
        info.durationS = Math.max(0, Math.round(Date.now() / 1000 - (start > 1e11 ? start / 1000 : start)));
      return info;
    });
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
    if (!Array.isArray(res.body)) throw badReply(this.ctx.t, this.host, path, 'expected a JSON array');
    const channels: ChannelStats[] = res.body.filter(isObj).map((s) => {
      const type = (str(s.mediaType) ?? '').toUpperCase();
      const ch: ChannelStats = {
        direction: (str(s.mediaDirection) ?? '').toUpperCase() === 'TX' ? 'tx' : 'rx',
        media: type === 'AUDIO' ? 'audio' : type === 'VIDEO' ? 'video' : 'data',
      };
      const codec = str(s.mediaAlgorithm);
      if (codec) ch.codec = codec;
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      const sessionId = await this.login?.catch(() => undefined);
      if (sessionId) {
        await this.http
          .request({
            method: 'DELETE',
            path: '/rest/current/session',
            headers: this.headers(sessionId, false),
            detached: true,
          })
          .catch(() => {});
      }
    } finally {
      await this.http.close();
    }
  }
}
