/**
 * A simulated Cisco RoomOS codec speaking the xAPI over HTTP(S), shaped on
 * the real captures in docs/references.md §1: `/getxml?location=`
 * (the Status tree pruned to the path, wrapped from the root), `/status.xml`,
 * `/putxml` (Dial, Call Disconnect), Basic auth on every request or a
 * session (`/xmlapi/session/begin` → 204 + SessionId cookie, SecureSessionId
 * over HTTPS; `/xmlapi/session/end` → 204, or 200 for an unknown session).
 * It counts open sessions, so tests can prove every command ends its own.
 */
import { XMLParser } from 'fast-xml-parser';
import { CallBook, type SimCall } from './calls.js';
import { codecSimHandle } from './handle.js';
import { basicOk, cookies, delay, type Listening, send, serve, type TlsOptions, token } from './http.js';
import type { CodecScenario } from './scenario.js';
import { document, el, item, prune, type XNode } from './xml.js';

export interface CodecSimOptions {
  host?: string;
  port?: number;
  scenario?: CodecScenario;
  username?: string;
  password?: string;
  /** Serve HTTPS with this (self-signed) certificate. */
  tls?: TlsOptions;
  /** Really dial SIP numbers with an IP and port (default auto); `off` keeps every call simulated. */
  sipDial?: 'auto' | 'off';
  /** One line per request (for `diemcau sim codec`); never includes credentials. */
  onLog?: (line: string) => void;
  /** The SIP URI this codec registers as. */
  sipUri?: string;
  /**
   * Open API sessions the codec allows (default 8, an assumption: real units
   * cap them, the number is not published); one more is refused with 503.
   */
  maxSessions?: number;
}

export interface CodecSim {
  url: string;
  port: number;
  host: string;
  /** Sessions begun and not ended. */
  sessions(): number;
  /** Sessions begun since start. */
  sessionsBegun(): number;
  /** The most sessions open at once since start. */
  sessionsPeak(): number;
  /** Calls now (meeting of the busy scenario included). */
  calls(): SimCall[];
  /** Change the scenario while running. */
  update(scenario: CodecScenario): void;
  /** Forget every session, as a reboot does. */
  expireSessions(): void;
  close(): Promise<void>;
}

const VERSION = 'ce11.19.1.6.76526b1b094';
const ROOT_ATTRS = { product: 'Cisco Codec', version: VERSION, apiVersion: '4' };
const GARBAGE = '<Status product="Cisco Codec"><SystemUnit><ProductId>Cisco Room K';

export async function startCiscoSim(opts: CodecSimOptions = {}): Promise<CodecSim> {
  const user = opts.username ?? 'admin';
  const password = opts.password ?? 'diemcau';
  const secure = Boolean(opts.tls);
  const cookieName = secure ? 'SecureSessionId' : 'SessionId';
  const log = opts.onLog ?? (() => {});
  const started = Date.now();
  let scenario: CodecScenario = { ...opts.scenario };
  const sessions = new Set<string>();
  let begun = 0;
  let peak = 0;
  const maxSessions = opts.maxSessions ?? 8;
  const book = new CallBook({ scenario: () => scenario, sipDial: opts.sipDial, log });
  const sipUri = opts.sipUri ?? 'sip:phong-hop@vc.example.gov.vn';

  const status = (): XNode => {
    const s = scenario;
    const calls = book.list();
    // A Teams or Webex call is counted by the codec but lists no <Call> node.
    const active = calls.length + (s.cloud_call ? 1 : 0);
    const sipUp = !s.unregistered && !s.cloud;
    const mics = [1, 2].map((n) =>
      item('Microphone', n, [
        el('ConnectionStatus', s.mic_unplugged && n === 1 ? 'NotConnected' : 'Connected'),
      ]),
    );
    const diagnostics = s.diagnostics_error
      ? [
          item('Message', 3, [
            el('Description', 'Provisioning is in an error state.'),
            el('Level', 'Error'),
            el('References', "status=Failed&host=192.0.2.216&reason=Couldn't connect to server"),
            el('Type', 'ProvisioningStatus'),
          ]),
          item('Message', 7, [
            el('Description', 'The camera firmware is older than recommended.'),
            el('Level', 'Warning'),
            el('References', ''),
            el('Type', 'CameraSoftwareVersion'),
          ]),
        ]
      : [];
    const children: XNode[] = [
      el('Audio', [
        el('Input', [el('Connectors', mics)]),
        el('Microphones', [el('Mute', 'Off')]),
        el('Volume', 50),
      ]),
      ...calls.map(callNode),
      el('Cameras', [
        item('Camera', 1, [
          el('Connected', s.camera_unplugged ? 'False' : 'True'),
          el('Model', 'Cisco Quad Camera'),
        ]),
      ]),
      el('Diagnostics', diagnostics),
      ...(s.cloud === 'teams'
        ? [
            el('MicrosoftTeams', [
              el('Calling', [el('InCall', s.cloud_call ? 'True' : 'False')]),
              el('Software', [el('Version', '1449/1.0.96.2023020601')]),
            ]),
          ]
        : []),
      el('Peripherals', [
        ...(s.touch_panel_missing
          ? []
          : [
              item('ConnectedDevice', 1001, [
                el('HardwareInfo', '101401-5 [08]'),
                el('ID', '00:1f:16:aa:bb:cc'),
                el('Name', 'Cisco Room Navigator'),
                el('SoftwareInfo', 'RoomOS 11.19.1.6'),
                el('Status', 'Connected'),
                el('Type', 'TouchPanel'),
                el('UpgradeStatus', 'None'),
              ]),
            ]),
      ]),
      // Products without H.323 (Room Bar) have no H323 node at all.
      ...(s.no_h323
        ? []
        : [
            el('H323', [
              el('Gatekeeper', [
                el('Address', ''),
                el('Port', 1719),
                el('Reason', ''),
                el('Status', 'Inactive'),
              ]),
            ]),
          ]),
      el('MediaChannels', calls.filter((c) => c.state === 'Connected').map(mediaNode)),
      el('SIP', [
        item('Registration', 1, [
          el('Reason', s.unregistered ? '401 Unauthorized' : ''),
          el('Status', s.unregistered ? 'Failed' : sipUp ? 'Registered' : 'Inactive'),
          el('URI', s.cloud ? '' : sipUri),
        ]),
      ]),
      el('Standby', [el('Level', s.asleep ? 'Standby' : 'None'), el('State', s.asleep ? 'Standby' : 'Off')]),
      el('SystemUnit', [
        el('Hardware', [el('Module', [el('SerialNumber', 'FOC2231SIM1')])]),
        el('ProductId', 'Cisco Room Kit'),
        el('ProductPlatform', 'Room Kit'),
        el('ProductType', 'Cisco Codec'),
        el('Software', [el('DisplayName', 'RoomOS 11.19.1.6 76526b1b094'), el('Version', VERSION)]),
        el('State', [
          el('NumberOfActiveCalls', active),
          el('NumberOfInProgressCalls', 0),
          el('System', active ? 'InCall' : 'Initialized'),
        ]),
        el('Uptime', 37_224 + Math.floor((Date.now() - started) / 1000)),
      ]),
      ...(s.cloud === 'webex' ? [el('Webex', [el('DeveloperId', ''), el('Status', 'Registered')])] : []),
      el('Video', [
        el('Input', [
          item('Connector', 1, [
            el('Connected', s.camera_unplugged ? 'False' : 'True'),
            el('SignalState', s.camera_unplugged ? 'NotFound' : 'OK'),
            el('SourceId', 1),
            el('Type', 'Camera'),
          ]),
          item('Connector', 2, [
            el('Connected', 'False'),
            el('SignalState', 'NotFound'),
            el('SourceId', 2),
            el('Type', 'HDMI'),
          ]),
        ]),
      ]),
    ];
    return el('Status', children, ROOT_ATTRS);
  };

  const callNode = (c: SimCall): XNode =>
    item('Call', c.id, [
      el('AnswerState', c.state === 'Connected' ? 'Answered' : 'Unanswered'),
      el('CallType', 'Video'),
      el('CallbackNumber', `${c.protocol === 'Sip' ? 'sip:' : 'h323:'}${c.remote}`),
      el('DeviceType', 'MCU'),
      el('Direction', c.direction),
      el('DisplayName', c.meeting ? 'Hội nghị tỉnh' : c.remote),
      el('Duration', c.connectedAt === undefined ? 0 : Math.floor((Date.now() - c.connectedAt) / 1000)),
      el('Encryption', [el('Type', 'AES-128')]),
      el('Protocol', c.protocol === 'Sip' ? 'SIP' : 'H323'),
      el('ReceiveCallRate', c.rateKbps),
      el('RemoteNumber', c.remote),
      el('Status', c.state),
      el('TransmitCallRate', c.rateKbps),
    ]);

  const mediaNode = (c: SimCall): XNode =>
    item(
      'Call',
      c.id,
      book
        .media(c)
        .map((ch) =>
          item('Channel', ch.item, [
            el('Direction', ch.direction),
            el('Type', ch.type),
            el('Encryption', 'On'),
            ch.type === 'Audio'
              ? el('Audio', [el('Channels', 1), el('Mute', 'False'), el('Protocol', ch.protocol)])
              : el('Video', [
                  el('ChannelRole', 'Main'),
                  el('FrameRate', 30),
                  el('Protocol', ch.protocol),
                  el('ResolutionX', 1920),
                  el('ResolutionY', 1080),
                ]),
            el('Netstat', [
              el('Bytes', ch.packets * (ch.type === 'Audio' ? 160 : 1200)),
              el('ChannelRate', ch.rateBps),
              el('Jitter', ch.jitterMs),
              el('LastIntervalLost', 0),
              el('LastIntervalReceived', 0),
              el('Loss', ch.lost),
              el('MaxJitter', ch.jitterMs * 2),
              el('Packets', ch.packets),
            ]),
          ]),
        ),
    );

  const xmlParser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    trimValues: true,
  });
  const result = (name: string, status: string, children: XNode[] = []) =>
    document(el('Command', [el(name, children, { status })]));

  const putxml = (body: string): string => {
    let doc: Record<string, unknown>;
    try {
      doc = xmlParser.parse(body) as Record<string, unknown>;
    } catch {
      return result('Result', 'Error', [el('Reason', 'Invalid XML')]);
    }
    const command = doc.Command as Record<string, Record<string, unknown>> | undefined;
    const dial = command?.Dial;
    if (dial) {
      const number = String(dial.Number ?? '');
      if (!number) return result('DialResult', 'ParameterError', [el('Reason', 'Number is required')]);
      const protocol = String(dial.Protocol ?? 'Sip').toLowerCase() === 'h323' ? 'H323' : 'Sip';
      const rate = Number(dial.CallRate ?? 6000);
      const r = book.dial(number, protocol, Number.isFinite(rate) ? rate : 6000);
      if (!r.ok) return result('DialResult', 'Error', [el('Reason', r.reason)]);
      return result('DialResult', 'OK', [el('CallId', r.call.id), el('ConferenceId', r.call.id)]);
    }
    const disconnect = (command?.Call as Record<string, Record<string, unknown>> | undefined)?.Disconnect;
    if (disconnect !== undefined) {
      const raw = typeof disconnect === 'object' ? disconnect.CallId : undefined;
      const ids = raw === undefined ? book.list().map((c) => c.id) : [Number(raw)];
      if (ids.length === 0 || !ids.every((id) => book.disconnect(id))) {
        return result('CallDisconnectResult', 'Error', [el('Reason', 'No active call(s) found')]);
      }
      return result('CallDisconnectResult', 'OK');
    }
    const history = (command?.CallHistory as Record<string, Record<string, unknown>> | undefined)?.Get;
    if (history !== undefined) return result('CallHistoryGetResult', 'OK', callHistory(book, history));
    const first = command ? Object.keys(command).find((k) => !k.startsWith('@_')) : undefined;
    return result('Result', 'Error', [el('Reason', 'Unknown command'), el('XPath', `/${first ?? ''}`)]);
  };

  /** 401 without valid credentials; 403 when the scenario's account lacks the role. */
  const refusal = (req: Parameters<typeof basicOk>[0]): 401 | 403 | undefined => {
    const c = cookies(req);
    const sid = c.SessionId ?? c.SecureSessionId;
    if (!((sid !== undefined && sessions.has(sid)) || basicOk(req, user, password))) return 401;
    return scenario.forbidden ? 403 : undefined;
  };
  const unauthorised = { 'www-authenticate': 'Basic realm="Cisco Codec"', 'content-type': 'text/html' };

  const server: Listening = await serve(
    { host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, tls: opts.tls },
    async (req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const route = `${req.method} ${url.pathname}`;
      if (scenario.slow_ms) await delay(scenario.slow_ms);
      const reply = (status: number, text = '', headers: Record<string, string | string[]> = {}) => {
        log(`${route}${url.search ? decodeURIComponent(url.search) : ''} → ${status}`);
        send(res, status, text, headers);
      };
      const xml = (text: string) =>
        reply(200, scenario.garbage ? GARBAGE : text, { 'content-type': 'text/xml; charset=utf-8' });

      switch (route) {
        case 'POST /xmlapi/session/begin': {
          if (!basicOk(req, user, password)) return reply(401, '', unauthorised);
          if (sessions.size >= maxSessions)
            return reply(503, 'Too many sessions', { 'content-type': 'text/plain' });
          const id = token(20);
          sessions.add(id);
          begun += 1;
          peak = Math.max(peak, sessions.size);
          return reply(204, '', {
            'set-cookie': `${cookieName}=${id}; Path=/; HttpOnly${secure ? '; Secure' : ''}`,
          });
        }
        case 'POST /xmlapi/session/end': {
          const c = cookies(req);
          const sid = c.SessionId ?? c.SecureSessionId;
          if (sid && sessions.delete(sid)) return reply(204);
          return reply(200);
        }
        case 'GET /getxml': {
          const no = refusal(req);
          if (no) return reply(no, '', no === 401 ? unauthorised : {});
          const location = url.searchParams.get('location') ?? '';
          const segments = location.split('/').filter(Boolean);
          if (segments[0]?.toLowerCase() !== 'status')
            return reply(400, 'Only /Status is simulated', { 'content-type': 'text/plain' });
          const tree = prune(status(), segments.slice(1)) ?? el('Status', [], ROOT_ATTRS);
          return xml(document(tree));
        }
        case 'GET /status.xml':
        case 'POST /putxml': {
          const no = refusal(req);
          if (no) return reply(no, '', no === 401 ? unauthorised : {});
          return xml(route === 'POST /putxml' ? putxml(body) : document(status()));
        }
        default:
          return reply(404, 'Not Found', { 'content-type': 'text/plain' });
      }
    },
  );

  return codecSimHandle(server, {
    sessions,
    begun: () => begun,
    peak: () => peak,
    book,
    update: (next) => {
      scenario = { ...scenario, ...next };
    },
  });
}

/**
 * `CallHistory Get` (Limit, DetailLevel Full): the ended calls, most recent
 * first, with the disconnect cause fields drivers read (docs/simulators.md).
 */
function callHistory(book: CallBook, get: unknown): XNode[] {
  const limit = Number((get as Record<string, unknown> | undefined)?.Limit ?? 20);
  return book
    .ended()
    .slice(0, Number.isFinite(limit) && limit > 0 ? limit : 20)
    .map((e, i) =>
      item('Entry', i + 1, [
        el('CallHistoryId', e.callId),
        el('CallId', e.callId),
        el('CallbackNumber', `${e.protocol === 'Sip' ? 'sip' : 'h323'}:${e.remote}`),
        el('RemoteNumber', e.remote),
        el('OccurrenceType', 'Placed'),
        el('Direction', 'outgoing'),
        el('Protocol', e.protocol),
        el('DisconnectCauseType', e.causeType),
        el('DisconnectCauseCode', e.sipCode ?? 0),
        el('DisconnectCauseOrigin', e.origin),
        el('Duration', e.durationS),
        el('EndTime', new Date(e.endedAt).toISOString()),
      ]),
    );
}
