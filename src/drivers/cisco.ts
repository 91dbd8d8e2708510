/**
 * Cisco RoomOS / CE: the xAPI over HTTP(S) (docs/references.md §1).
 * `GET /getxml?location=/Status/...` to read, `POST /putxml` to command.
 * Auth is Basic on every request, or a session: `POST /xmlapi/session/begin`
 * with Basic sets a `SessionId` cookie (`SecureSessionId` over HTTPS on some
 * builds; both are accepted). Sessions do not time out on the codec and only
 * a few may be open, so `close()` always ends the one we began.
 */
import { CancelledError, DriverError } from '../errors.js';
import type { CodecAccess } from '../model/codec.js';
import { badReply, httpError, saidNothing } from './errors.js';
import { basicAuth, cookiesOf, type HttpClient, openCodecHttp } from './http.js';
import { notFormat, registrationState, safeRaw } from './normalize.js';
import {
  type CallEnd,
  type CallInfo,
  type CallState,
  type ChannelStats,
  type CodecDriver,
  type Device,
  type Diagnostic,
  type DiagnosticLevel,
  type DialRequest,
  DRIVER_ERRORS,
  type DriverContext,
  type Identity,
  type MediaStats,
  type PeripheralKind,
  type Peripherals,
  type Registration,
  type RegistrationEntry,
} from './types.js';
import { at, attr, escapeXml, list, num, parseXml, text, XmlError, type XmlNode } from './xml.js';

const SESSION_COOKIES = ['SessionId', 'SecureSessionId'] as const;

/** Webex cloud registration words (`Status/Webex/Status`). */
function webexState(raw: string): RegistrationEntry['state'] {
  const s = raw.toLowerCase();
  if (s === 'registered') return 'registered';
  if (s === 'registering') return 'registering';
  if (s === '' || s === 'disabled' || s === 'stopped') return 'inactive';
  return 'failed';
}

const PANEL_TYPES = new Set(['touchpanel', 'navigator', 'roomnavigator']);

/** What the views of one driver share: the HTTP client and the one session. */
interface CiscoShared {
  http: HttpClient;
  mode: 'basic' | 'session';
  session: Promise<string | undefined> | undefined;
  closed: boolean;
}

export function ciscoCallState(raw: string): CallState {
  switch (raw.toLowerCase()) {
    case 'dialling':
    case 'dialing':
      return 'dialling';
    case 'ringing':
    case 'earlymedia':
      return 'ringing';
    case 'connecting':
      return 'connecting';
    case 'connected':
    case 'synced':
      return 'connected';
    case 'disconnecting':
      return 'disconnecting';
    case 'onhold':
    case 'preserved':
    case 'remotepreserved':
      return 'on_hold';
    case 'idle':
      return 'idle';
    default:
      return 'other';
  }
}

/** Cisco diagnostic levels; undefined for a word the driver does not know (warned, shown raw). */
function diagnosticLevel(raw: string): DiagnosticLevel | undefined {
  const s = raw.toLowerCase();
  if (s === 'critical') return 'critical';
  if (s === 'error') return 'error';
  if (s === 'warning') return 'warning';
  if (s === 'info') return 'info';
  return undefined;
}

export class CiscoDriver implements CodecDriver {
  readonly name = 'cisco' as const;
  private readonly s: CiscoShared;
  private readonly host: string;
  private readonly user: string;
  private readonly basic: string;
  private readonly view: boolean;

  constructor(
    private readonly codec: CodecAccess,
    private readonly ctx: DriverContext,
    shared?: CiscoShared,
  ) {
    const opened = openCodecHttp(codec, ctx, 'cisco');
    ({ host: this.host, user: this.user } = opened);
    this.basic = basicAuth(this.user, codec.password ?? '');
    this.view = shared !== undefined;
    this.s = shared ?? { http: opened.http, mode: codec.auth ?? 'basic', session: undefined, closed: false };
  }

  bind(signal: AbortSignal): CodecDriver {
    return new CiscoDriver(this.codec, { ...this.ctx, signal }, this.s);
  }

  /** Begin a session once (single flight); undefined = the codec is too old for sessions, use Basic. */
  private beginSession(): Promise<string | undefined> {
    this.s.session ??= (async () => {
      // Detached: once the codec has opened a session we must learn its id to end it, even on Ctrl-C.
      const res = await this.s.http.request({
        method: 'POST',
        path: '/xmlapi/session/begin',
        headers: { authorization: this.basic },
        detached: true,
      });
      if (res.status === 302 || res.status === 303 || res.status === 307) return undefined; // TC firmware: no sessions
      if (res.status >= 400) throw httpError(this.ctx.t, this.host, this.user, res.status, 'session/begin');
      const cookies = cookiesOf(res.headers);
      const name = SESSION_COOKIES.find((n) => cookies[n]);
      if (!name) throw badReply(this.ctx.t, this.host, 'session/begin', 'no SessionId cookie');
      return `${name}=${cookies[name]}`;
    })();
    return this.s.session;
  }

  private async auth(
    detached: boolean,
  ): Promise<{ headers: Record<string, string>; session?: Promise<string | undefined> }> {
    if (this.s.mode === 'session') {
      const session = this.beginSession();
      const cookie = await session;
      if (this.ctx.signal?.aborted && !detached) throw new CancelledError(this.ctx.t('codec.err.cancelled'));
      if (cookie) return { headers: { cookie }, session };
    }
    return { headers: { authorization: this.basic } };
  }

  /**
   * One request. `detached`: not stopped by the caller's signal (only by the
   * timeout), for hanging up after Ctrl-C or a check timeout.
   */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    detached = false,
    retried = false,
  ): Promise<string> {
    if (this.s.closed) throw new DriverError(DRIVER_ERRORS.cancelled, this.ctx.t('codec.err.cancelled'));
    const { headers, session } = await this.auth(detached);
    const res = await this.s.http.request({
      method,
      path,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'text/xml' },
      body,
      detached,
      ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
    });
    if (res.status === 401 && session && !retried) {
      // The codec forgot our session (it rebooted): begin a new one once (one for all parallel requests),
      // and end the old one in case it did not forget it: sessions are few and never time out.
      if (this.s.session === session) {
        this.s.session = undefined;
        await this.endSession(await session);
      }
      return this.send(method, path, body, detached, true);
    }
    if (res.status >= 400) throw httpError(this.ctx.t, this.host, this.user, res.status, path);
    return res.text;
  }

  private async parse(body: string, what: string, root: string): Promise<XmlNode> {
    try {
      const doc = await parseXml(body);
      const node = doc[root];
      if (node === undefined)
        throw new XmlError(`expected <${root}>, got <${Object.keys(doc).find((k) => !k.startsWith('?'))}>`);
      return (typeof node === 'object' && node !== null ? node : {}) as XmlNode;
    } catch (err) {
      if (err instanceof XmlError) {
        throw badReply(this.ctx.t, this.host, what, notFormat(body, 'XML', err.message));
      }
      throw err;
    }
  }

  /** The `<Status>` element of `GET /getxml?location=/Status/<path>`. */
  private async status(path: string, detached = false): Promise<XmlNode> {
    const location = `/Status/${path}`;
    const body = await this.send(
      'GET',
      `/getxml?location=${encodeURIComponent(location)}`,
      undefined,
      detached,
    );
    return this.parse(body, location, 'Status');
  }

  /** `POST /putxml`; returns the `<Command>` element. */
  private async command(xml: string, what: string, detached = false): Promise<XmlNode> {
    const body = await this.send('POST', '/putxml', xml, detached);
    return this.parse(body, what, 'Command');
  }

  async identify(): Promise<Identity> {
    const [unitDoc, standbyDoc] = await Promise.all([this.status('SystemUnit'), this.status('Standby')]);
    const unit = unitDoc.SystemUnit;
    if (unit === undefined) throw badReply(this.ctx.t, this.host, '/Status/SystemUnit', 'no <SystemUnit>');
    const state = text(at(standbyDoc, 'Standby', 'State'));
    // TC firmware: <Standby><Active>On|Off</Active></Standby>.
    const active = text(at(standbyDoc, 'Standby', 'Active'));
    const powerState = safeRaw(
      state ?? (active === undefined ? 'Unknown' : active === 'On' ? 'Standby' : 'Off'),
    );
    const awake = !/^(standby|enteringstandby)$/i.test(powerState);
    const id: Identity = {
      vendor: 'Cisco',
      model: safeRaw(text(at(unit, 'ProductId')) || text(at(unit, 'ProductPlatform')) || 'Cisco Codec'),
      software: safeRaw(
        text(at(unit, 'Software', 'DisplayName')) || text(at(unit, 'Software', 'Version')) || '',
      ),
      awake,
      powerState,
    };
    if (state === undefined && active === undefined) id.powerUnknown = true;
    const serial = text(at(unit, 'Hardware', 'Module', 'SerialNumber'));
    if (serial) id.serial = safeRaw(serial);
    const uptime = num(at(unit, 'Uptime'));
    if (uptime !== undefined) id.uptimeS = uptime;
    const calls = num(at(unit, 'State', 'NumberOfActiveCalls'));
    if (calls !== undefined) id.activeCalls = calls;
    return id;
  }

  async registration(): Promise<Registration> {
    const [sipDoc, h323Doc, webexDoc, teamsDoc] = await Promise.all([
      this.status('SIP'),
      this.optionalStatus('H323'),
      this.optionalStatus('Webex'),
      this.optionalStatus('MicrosoftTeams'),
    ]);
    return this.readRegistration(sipDoc, h323Doc, webexDoc, teamsDoc);
  }

  /** A subtree some products lack: any refusal reads as absent (not applicable), like Room Bar's H323. */
  private optionalStatus(path: string): Promise<XmlNode> {
    return this.status(path).catch((err: unknown) => {
      if (
        err instanceof DriverError &&
        (err.code === DRIVER_ERRORS.http || err.code === DRIVER_ERRORS.badReply)
      )
        return {};
      throw err;
    });
  }

  /** SIP, H.323, the Webex cloud and Teams mode: each a way to be registered. */
  private readRegistration(
    sipDoc: XmlNode,
    h323Doc: XmlNode,
    webexDoc: XmlNode,
    teamsDoc: XmlNode,
  ): Registration {
    const sipRegs = list(at(sipDoc, 'SIP', 'Registration'));
    // TC firmware: /Status/SIP/Profile/Registration.
    const regs = sipRegs.length > 0 ? sipRegs : list(at(sipDoc, 'SIP', 'Profile', 'Registration'));
    const sip: RegistrationEntry[] = regs.map((r) => {
      const raw = safeRaw(text(r.Status) ?? '');
      const entry: RegistrationEntry = { protocol: 'sip', state: registrationState(raw), raw };
      const uri = text(r.URI);
      if (uri) entry.target = safeRaw(uri);
      const reason = text(r.Reason);
      if (reason) entry.reason = safeRaw(reason);
      return entry;
    });
    const out: Registration = { sip };
    const cloud: RegistrationEntry[] = [];
    const webex = text(at(webexDoc, 'Webex', 'Status'));
    if (webex !== undefined) {
      const raw = safeRaw(webex);
      cloud.push({ protocol: 'webex', state: webexState(raw), raw });
    }
    // A MicrosoftTeams node is there only in Teams mode, where Teams is the calling service.
    if (at(teamsDoc, 'MicrosoftTeams') !== undefined) {
      const version = text(at(teamsDoc, 'MicrosoftTeams', 'Software', 'Version'));
      cloud.push({
        protocol: 'teams',
        state: 'registered',
        raw: 'MicrosoftTeams',
        ...(version ? { target: safeRaw(version) } : {}),
      });
    }
    if (cloud.length) out.cloud = cloud;
    if (at(sipDoc, 'SIP') === undefined && at(h323Doc, 'H323') === undefined && cloud.length === 0)
      out.unreported = true;
    const gk = at(h323Doc, 'H323', 'Gatekeeper');
    if (at(h323Doc, 'H323') !== undefined) {
      out.h323 = list(gk).map((g) => {
        const raw = safeRaw(text(g.Status) ?? '');
        const entry: RegistrationEntry = { protocol: 'h323', state: registrationState(raw), raw };
        const address = text(g.Address);
        if (address) entry.target = safeRaw(address);
        const reason = text(g.Reason);
        if (reason) entry.reason = safeRaw(reason);
        return entry;
      });
    }
    return out;
  }

  async peripherals(): Promise<Peripherals> {
    const [camDoc, videoDoc, audioDoc, periphDoc] = await Promise.all([
      this.status('Cameras'),
      this.status('Video/Input'),
      this.status('Audio'),
      this.optionalStatus('Peripherals'),
    ]);
    const unreported: PeripheralKind[] = [];
    const connected = (v: unknown) => safeRaw(text(v) ?? '');
    let cameras: Device[] = list(at(camDoc, 'Cameras', 'Camera')).map((c) => {
      const raw = connected(c.Connected);
      const d: Device = { id: safeRaw(attr(c, 'item') ?? '?'), connected: raw === 'True', raw };
      const model = text(c.Model);
      if (model) d.name = safeRaw(model);
      return d;
    });
    if (cameras.length === 0) {
      // No Cameras node: count the video inputs that are cameras.
      const inputs = list(at(videoDoc, 'Video', 'Input', 'Connector'));
      cameras = inputs
        .filter((c) => text(c.Type) === 'Camera')
        .map((c) => {
          const raw = connected(c.Connected);
          return { id: safeRaw(attr(c, 'item') ?? '?'), connected: raw === 'True', raw };
        });
      if (at(camDoc, 'Cameras') === undefined && inputs.length === 0) unreported.push('cameras');
    }
    const micNodes = at(audioDoc, 'Audio', 'Input', 'Connectors', 'Microphone');
    const microphones: Device[] = list(micNodes).map((m) => {
      const raw = connected(m.ConnectionStatus);
      return { id: safeRaw(attr(m, 'item') ?? '?'), connected: raw === 'Connected', raw };
    });
    if (micNodes === undefined && at(audioDoc, 'Audio', 'Input') === undefined)
      unreported.push('microphones');
    const out: Peripherals = { cameras, microphones };
    if (at(periphDoc, 'Peripherals') === undefined) unreported.push('touchPanels');
    else {
      out.touchPanels = list(at(periphDoc, 'Peripherals', 'ConnectedDevice'))
        .filter((d) => PANEL_TYPES.has((text(d.Type) ?? '').toLowerCase()))
        .map((d) => {
          const raw = connected(d.Status);
          const dev: Device = { id: safeRaw(attr(d, 'item') ?? '?'), connected: raw === 'Connected', raw };
          const name = text(d.Name);
          if (name) dev.name = safeRaw(name);
          return dev;
        });
    }
    if (unreported.length) out.unreported = unreported;
    const mute = text(at(audioDoc, 'Audio', 'Microphones', 'Mute'));
    if (mute !== undefined) out.micMuted = mute === 'On';
    return out;
  }

  async diagnostics(): Promise<Diagnostic[]> {
    const doc = await this.status('Diagnostics');
    // No Diagnostics node at all: the codec said nothing (an empty <Diagnostics/> is "all well").
    if (at(doc, 'Diagnostics') === undefined) throw saidNothing(this.ctx.t, 'diagnostics', 'Diagnostics');
    return list(at(doc, 'Diagnostics', 'Message')).map((m) => {
      const word = safeRaw(text(m.Level) ?? '');
      const level = diagnosticLevel(word);
      const d: Diagnostic = {
        level: level ?? 'warning',
        type: safeRaw(text(m.Type) ?? ''),
        description: safeRaw(text(m.Description) ?? '', 300),
      };
      if (level === undefined) d.raw = word;
      return d;
    });
  }

  /**
   * In a call by the codec's own counters or a cloud service, even with no
   * <Call> node (a Teams or Webex meeting lists none): what it is busy with.
   */
  async busy(): Promise<string | undefined> {
    const [unitDoc, teamsDoc] = await Promise.all([
      this.status('SystemUnit/State'),
      this.optionalStatus('MicrosoftTeams/Calling'),
    ]);
    const says: string[] = [];
    for (const name of ['NumberOfActiveCalls', 'NumberOfInProgressCalls']) {
      const n = num(at(unitDoc, 'SystemUnit', 'State', name));
      if (n !== undefined && n > 0) says.push(`${name} ${n}`);
    }
    const system = text(at(unitDoc, 'SystemUnit', 'State', 'System'));
    if (system?.toLowerCase() === 'incall') says.push('System InCall');
    if (text(at(teamsDoc, 'MicrosoftTeams', 'Calling', 'InCall'))?.toLowerCase() === 'true')
      says.push('MicrosoftTeams InCall True');
    return says.length ? says.join(', ') : undefined;
  }

  calls(): Promise<CallInfo[]> {
    return this.listCalls(false);
  }

  private async listCalls(detached: boolean): Promise<CallInfo[]> {
    const doc = await this.status('Call', detached);
    return list(at(doc, 'Call')).map((c) => {
      const raw = text(c.Status) ?? '';
      const info: CallInfo = {
        id: attr(c, 'item') ?? '?',
        remote: text(c.RemoteNumber) || text(c.CallbackNumber) || '',
        state: ciscoCallState(raw),
        raw,
      };
      const dir = text(c.Direction);
      if (dir) info.direction = dir === 'Incoming' ? 'incoming' : 'outgoing';
      const protocol = text(c.Protocol);
      if (protocol) info.protocol = protocol;
      const rate = num(c.ReceiveCallRate) ?? num(c.TransmitCallRate);
      if (rate !== undefined) info.rateKbps = rate;
      const duration = num(c.Duration);
      if (duration !== undefined) info.durationS = duration;
      return info;
    });
  }

  async dial(req: DialRequest): Promise<{ callId: string }> {
    const protocol =
      req.protocol === 'sip'
        ? '<Protocol>Sip</Protocol>'
        : req.protocol === 'h323'
          ? '<Protocol>H323</Protocol>'
          : '';
    const rate = req.rateKbps ? `<CallRate>${req.rateKbps}</CallRate>` : '';
    const xml = `<Command><Dial command="True"><Number>${escapeXml(req.number)}</Number>${protocol}${rate}</Dial></Command>`;
    const doc = await this.command(xml, 'Dial');
    const result = (doc.DialResult ?? doc.Result) as unknown;
    const status = attr(result, 'status');
    if (status !== 'OK') throw this.commandError(result, 'Dial');
    const callId = text(at(result, 'CallId'));
    if (!callId) throw badReply(this.ctx.t, this.host, 'Dial', 'no <CallId>');
    return { callId };
  }

  /** Detached from the caller's signal: a call we placed must be hung up even after Ctrl-C. */
  async hangup(callId?: string): Promise<void> {
    const ids = callId === undefined ? (await this.listCalls(true)).map((c) => c.id) : [callId];
    for (const id of ids) {
      const xml = `<Command><Call><Disconnect><CallId>${escapeXml(id)}</CallId></Disconnect></Call></Command>`;
      const doc = await this.command(xml, 'Call Disconnect', true);
      const result = (doc.CallDisconnectResult ?? doc.Result) as unknown;
      if (attr(result, 'status') !== 'OK') {
        const reason = text(at(result, 'Reason')) ?? '';
        if (/no (active )?call|not found/i.test(reason)) {
          throw new DriverError(DRIVER_ERRORS.noCall, this.ctx.t('codec.err.no_call', { id }));
        }
        throw this.commandError(result, 'Call Disconnect');
      }
    }
  }

  /**
   * Why a call ended, from `CallHistory Get` (DetailLevel Full): the entry
   * for this CallId (the most recent one when entries carry no CallId), its DisconnectCauseType /
   * DisconnectCause shown raw, and DisconnectCauseCode as the SIP status
   * when the cause came from SIP.
   */
  async callEnd(callId: string): Promise<CallEnd | undefined> {
    const xml =
      '<Command><CallHistory><Get><Limit>5</Limit><DetailLevel>Full</DetailLevel></Get></CallHistory></Command>';
    const doc = await this.command(xml, 'CallHistory Get');
    const result = doc.CallHistoryGetResult;
    if (attr(result, 'status') !== 'OK') return undefined;
    const entries = list(at(result, 'Entry'));
    const withIds = entries.some((e) => text(e.CallId) !== undefined);
    const entry = withIds ? entries.find((e) => text(e.CallId) === callId) : entries[0];
    if (!entry) return undefined;
    const end: CallEnd = {};
    const code = num(entry.DisconnectCauseCode);
    const origin = text(entry.DisconnectCauseOrigin);
    if (code !== undefined && code >= 100 && code <= 699 && (!origin || /^sip$/i.test(origin)))
      end.sipCode = code;
    const cause = [text(entry.DisconnectCauseType), text(entry.DisconnectCause)].filter(Boolean).join(': ');
    if (cause) end.cause = cause;
    return end.sipCode !== undefined || end.cause ? end : undefined;
  }

  async mediaStats(callId: string): Promise<MediaStats> {
    const doc = await this.status('MediaChannels');
    const call = list(at(doc, 'MediaChannels', 'Call')).find((c) => attr(c, 'item') === callId);
    const channels: ChannelStats[] = list(call?.Channel).map((ch) => {
      const type = (text(ch.Type) ?? '').toLowerCase();
      const stats: ChannelStats = {
        direction: text(ch.Direction) === 'Outgoing' ? 'tx' : 'rx',
        media: type === 'video' ? 'video' : type === 'audio' ? 'audio' : 'data',
      };
      const codec = text(at(ch, type === 'video' ? 'Video' : 'Audio', 'Protocol'));
      if (codec) stats.codec = codec;
      const net = ch.Netstat;
      const rate = num(at(net, 'ChannelRate'));
      if (rate !== undefined) stats.rateKbps = rate / 1000; // bit/s on the wire
      const jitter = num(at(net, 'Jitter'));
      if (jitter !== undefined) stats.jitterMs = jitter;
      const lost = num(at(net, 'Loss'));
      const packets = num(at(net, 'Packets'));
      if (lost !== undefined) stats.lost = lost;
      if (packets !== undefined) stats.packets = packets;
      if (lost !== undefined && packets) stats.lossPct = (lost / packets) * 100;
      else if (lost !== undefined) stats.lossPct = 0;
      return stats;
    });
    return { callId, channels };
  }

  private commandError(result: unknown, what: string): DriverError {
    const reason = text(at(result, 'Reason')) || attr(result, 'status') || '?';
    if (/busy|max(imum)?( number of)? (active )?calls|already in (a )?call/i.test(reason)) {
      return new DriverError(DRIVER_ERRORS.busy, this.ctx.t('codec.err.busy', { host: this.host, reason }), {
        hint: this.ctx.t('codec.hint.busy'),
      });
    }
    return new DriverError(
      DRIVER_ERRORS.commandFailed,
      this.ctx.t('codec.err.command', { host: this.host, what, reason }),
    );
  }

  /** End one session (detached, best effort). */
  private async endSession(cookie: string | undefined): Promise<void> {
    if (!cookie) return;
    await this.s.http
      .request({ method: 'POST', path: '/xmlapi/session/end', headers: { cookie }, detached: true })
      .catch(() => {});
  }

  async close(): Promise<void> {
    if (this.view || this.s.closed) return;
    this.s.closed = true;
    try {
      await this.endSession(await this.s.session?.catch(() => undefined));
    } finally {
      await this.s.http.close();
    }
  }
}
