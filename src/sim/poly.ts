/**
 * A simulated Poly codec, in two personalities (docs/drivers.md has the
 * table): a VideoOS Studio X50 speaking the REST API as recorded from a
 * real Studio X30, and (scenario `generation: group-series`) a RealPresence
 * Group 500 with its own keys (`languageTag` + `state`), without the
 * VideoOS-only paths (404), and the `PENDING` placeholder conference that
 * idle Group Series list (VideoOS lists one beside a real call). VideoOS login at
 * `POST /rest/current/session`, `session_id` and `XSRF-TOKEN` cookies plus
 * the `x-xsrf-token` header on every later request (403 otherwise, as for
 * an expired session), JSON bodies, some bare scalars (`/rest/audio/muted`
 * → `false`, `/rest/cameras/contentstatus` → `CONTENT_IDLE` unquoted), and
 * conferences with dial / list / hang up / mediastats. Logout is
 * `DELETE /rest/current/session`. It counts open sessions.
 */
import { CallBook, type SimCall } from './calls.js';
import type { CodecSim, CodecSimOptions } from './cisco.js';
import { codecSimHandle } from './handle.js';
import { cookies, credentialsOk, delay, type Listening, send, serve, token } from './http.js';
import type { CodecScenario } from './scenario.js';

const GARBAGE = '{"model":"StudioX50","softwareVersion":"4.1.';
const JSON_TYPE = { 'content-type': 'application/json' };

export async function startPolySim(opts: CodecSimOptions = {}): Promise<CodecSim> {
  const user = opts.username ?? 'admin';
  const password = opts.password ?? 'diemcau';
  const log = opts.onLog ?? (() => {});
  const started = Date.now();
  let scenario: CodecScenario = { ...opts.scenario };
  /** session id → XSRF token */
  const sessions = new Map<string, string>();
  let begun = 0;
  let peak = 0;
  const maxSessions = opts.maxSessions ?? 8;
  const groupSeries = () => scenario.generation === 'group-series';
  /** Paths a Group Series does not have (it answers 404). */
  const VIDEOOS_ONLY = new Set([
    'GET /rest/system/sipservers',
    'GET /rest/system/h323gatekeepers',
    'GET /rest/audio/microphones',
    'POST /rest/current/devicemanagement/devices',
  ]);
  const loginPath = () => (groupSeries() ? '/rest/session' : '/rest/current/session');
  // The placeholder as a real Group 500 lists it (test/fixtures/codec-real, p14), without its ringing call.
  const placeholder = () => ({
    capabilities: null,
    connections: [],
    duration: 0,
    holdState: 'NOTHELD',
    id: 'PENDING',
    isActive: false,
    isHolding: false,
    isMute: false,
    startTime: null,
    terminals: [],
  });
  const book = new CallBook({ scenario: () => scenario, sipDial: opts.sipDial, log });

  const connState = (c: SimCall) =>
    c.state === 'Connected'
      ? 'CONNECTED'
      : c.state === 'Ringing'
        ? 'RINGING'
        : c.state === 'Dialling'
          ? 'DIALING'
          : 'DISCONNECTING';
  const connection = (c: SimCall) => ({
    id: 1,
    parentConfId: c.id,
    address: c.remote,
    callType: c.protocol === 'Sip' ? 'SIP' : 'H323',
    callInfo: { callType: 'VIDEO', rate: c.rateKbps },
    rate: c.rateKbps,
    state: connState(c),
    startTime: c.createdAt,
  });
  const conference = (c: SimCall) => ({
    id: c.id,
    isActive: c.state === 'Connected',
    duration: c.connectedAt === undefined ? 0 : Math.floor((Date.now() - c.connectedAt) / 1000),
    startTime: c.createdAt,
    terminals: [{ address: c.remote, systemID: c.meeting ? 'Hội nghị tỉnh' : c.remote }],
    connections: [connection(c)],
  });
  const mediastats = (c: SimCall) =>
    book.media(c).map((ch) => ({
      mediaDirection: ch.direction === 'Incoming' ? 'RX' : 'TX',
      mediaType: ch.type.toUpperCase(),
      mediaStream: `${ch.type.toLowerCase()}${ch.direction === 'Incoming' ? 'Rx' : 'Tx'}`,
      mediaAlgorithm: ch.type === 'Audio' ? 'G.722.1C' : 'H.264 High Profile',
      mediaFormat: ch.type === 'Audio' ? '' : '1080p',
      actualBitRate: Math.round(ch.rateBps / 1000),
      bitRate: Math.round(ch.rateBps / 1000),
      actualFrameRate: ch.type === 'Audio' ? 0 : 30,
      jitter: ch.jitterMs,
      packetLoss: ch.lost,
      percentPacketLoss: ch.lossPct,
      qualityIndicator: ch.lossPct > 2 ? 40 : 100,
    }));

  const system = () =>
    groupSeries()
      ? {
          build: '670021',
          hardwareVersion: '18',
          lanStatus: { duplex: 'FULL', state: 'LAN_UP', speedMbps: 1000 },
          model: 'RealPresence Group 500',
          serialNumber: '8215274SIM0001',
          softwareVersion: 'Release - 6.2.2.8-670021',
          state: scenario.asleep ? 'ASLEEP' : 'READY',
          systemName: 'PhongHop-Group500',
          uptime: 324_967.72 + (Date.now() - started) / 1000,
          rebootNeeded: false,
        }
      : videoOsSystem();
  const videoOsSystem = () => ({
    build: '366027',
    lanStatus: { duplex: 'FULL', speedMbps: 1000, state: 'LAN_UP' },
    model: 'StudioX50',
    rebootNeeded: false,
    serialNumber: '8L2003SIM0001',
    softwareVersion: '4.1.0',
    // Only ASLEEP was seen on a real unit; the awake word is a guess.
    state: scenario.asleep ? 'ASLEEP' : 'READY',
    systemName: 'PhongHop-StudioX50',
    uptime: 693_845.31 + (Date.now() - started) / 1000,
  });
  /** Group Series: `languageTag` + `state` (seen on a real Group 500); no camera line. */
  const groupStatusList = () =>
    [
      ['system.status.inacall', 'IN_A_CALL', book.list().length ? 'up' : 'off'],
      ['system.status.microphones', 'MICROPHONES', scenario.mic_unplugged ? 'down' : 'up'],
      ['system.status.ipnetwork', 'IP_NETWORK', 'up'],
      ['system.status.gatekeeper', 'GATEKEEPER', 'unknown'],
      ['system.status.sipserver', 'SIP_SERVER', scenario.unregistered ? 'down' : 'up'],
      ['system.status.provisioning', 'PROVISIONING', scenario.diagnostics_error ? 'down' : 'off'],
    ].map(([name, languageTag, state]) => ({ name, languageTag, state: [state] }));
  const statusList = () => (groupSeries() ? groupStatusList() : videoOsStatusList());
  const videoOsStatusList = () => [
    { langtag: 'IP_NETWORK_HEADING', name: 'system.status.ipnetwork', stateList: ['up'] },
    {
      langtag: 'SIP_SERVER_HEADING',
      name: 'system.status.sipserver',
      stateList: [scenario.unregistered ? 'down' : 'up'],
    },
    { langtag: 'GATEKEEPER_HEADING', name: 'system.status.gatekeeper', stateList: ['off'] },
    {
      langtag: 'CAMERA_HEADING',
      name: 'system.status.mr.camera',
      stateList: [scenario.camera_unplugged ? 'down' : 'up'],
    },
    { langtag: 'AUDIO_HEADING', name: 'system.status.mr.audio', stateList: ['all_up'] },
    {
      langtag: 'PROVISIONING_HEADING',
      name: 'system.status.provisioning',
      stateList: [scenario.diagnostics_error ? 'down' : 'off'],
    },
    { langtag: 'CALENDAR_HEADING', name: 'system.status.calendar', stateList: ['off'] },
  ];
  const microphones = () =>
    [0, 1]
      .filter((n) => !(scenario.mic_unplugged && n === 1))
      .map((n) => ({
        mute: 0,
        number: n,
        state: 'MIC_STATE_GREEN',
        type: 84,
        typeInString: 'Polycom Kitten Mic',
        hwVersion: '1',
        swVersion: '3.0',
      }));
  const devices = () => [
    {
      deviceCategory: 'SYSTEM',
      deviceState: 'CONNECTED',
      deviceType: 'CODEC',
      productName: 'Poly Studio X50',
      serialNumber: '8L2003SIM0001',
      softwareVersion: '4.1.0',
      uid: 'codec-0',
    },
    {
      deviceCategory: 'CAMERA',
      deviceState: scenario.camera_unplugged ? 'DISCONNECTED' : 'CONNECTED',
      deviceType: 'CAMERA',
      productName: 'Poly EagleEye Cube',
      serialNumber: 'EEC0SIM0001',
      softwareVersion: '1.4.0',
      uid: 'camera-1',
    },
    {
      deviceCategory: 'REMOTE',
      deviceState: 'PAIRED',
      deviceType: 'REMOTE',
      productName: 'Poly Bluetooth Remote',
      serialNumber: '',
      softwareVersion: '',
      uid: 'remote-1',
    },
  ];

  const server: Listening = await serve(
    { host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, tls: opts.tls },
    async (req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const path = url.pathname.replace(/\/+$/, '');
      const route = `${req.method} ${path}`;
      if (scenario.slow_ms) await delay(scenario.slow_ms);
      const reply = (status: number, data?: unknown, headers: Record<string, string | string[]> = {}) => {
        log(`${route} → ${status}`);
        const text =
          data === undefined
            ? ''
            : typeof data === 'string' && data.startsWith('RAW:')
              ? data.slice(4)
              : JSON.stringify(data);
        send(res, status, text, data === undefined ? headers : { ...JSON_TYPE, ...headers });
      };

      if (route === `POST ${loginPath()}`) {
        let creds: { user?: unknown; password?: unknown };
        try {
          creds = JSON.parse(body) as typeof creds;
        } catch {
          return reply(400, { success: false, reason: 'BAD_REQUEST' });
        }
        if (!credentialsOk(String(creds.user ?? ''), String(creds.password ?? ''), user, password)) {
          return reply(401, { success: false, reason: 'INVALID_CREDENTIALS' });
        }
        if (sessions.size >= maxSessions) return reply(503, { success: false, reason: 'MAX_SESSIONS' });
        const id = `PSN${token(16)}`;
        const xsrf = token(16);
        sessions.set(id, xsrf);
        begun += 1;
        peak = Math.max(peak, sessions.size);
        return reply(
          200,
          { success: true, session: { sessionId: id, isAuthenticated: true } },
          {
            'set-cookie': [
              `session_id=${id}; Path=/; HttpOnly; SameSite=Strict`,
              `XSRF-TOKEN=${xsrf}; Path=/`,
            ],
          },
        );
      }
      // The other generation's login path is not on this model.
      if (req.method === 'POST' && /^\/rest\/(current\/)?session$/.test(path))
        return reply(404, { success: false });
      // Everything else needs a live session and its XSRF token, in the cookie and the header.
      const c = cookies(req);
      const sid = c.session_id;
      const xsrf = sid ? sessions.get(sid) : undefined;
      if (!xsrf || c['XSRF-TOKEN'] !== xsrf || req.headers['x-xsrf-token'] !== xsrf) {
        return reply(403, { success: false, reason: 'SESSION_INVALID' });
      }
      if (route === `DELETE ${loginPath()}`) {
        sessions.delete(sid as string);
        return reply(204);
      }
      if (scenario.garbage) return reply(200, `RAW:${GARBAGE}`);

      const conf = /^\/rest\/conferences\/(\d+)(\/.*)?$/.exec(path);
      if (conf) {
        const call = book.get(Number(conf[1]));
        if (!call) return reply(404, { success: false, reason: 'NOT_FOUND' });
        const rest = conf[2] ?? '';
        if (req.method === 'DELETE' && rest === '') {
          book.disconnect(call.id);
          return reply(204);
        }
        if (req.method === 'GET' && rest === '') return reply(200, conference(call));
        if (req.method === 'GET' && rest === '/mediastats') return reply(200, mediastats(call));
        if (req.method === 'GET' && /^\/connections\/1$/.test(rest)) return reply(200, connection(call));
        return reply(404, { success: false, reason: 'NOT_FOUND' });
      }

      if (groupSeries() && VIDEOOS_ONLY.has(route))
        return reply(404, { success: false, reason: 'NOT_FOUND' });
      switch (route) {
        case 'GET /rest/system':
          return reply(200, system());
        case 'GET /rest/system/status':
          return reply(200, statusList());
        case 'GET /rest/system/sipservers':
          return reply(200, [
            {
              address: '203.0.113.64',
              model: 'Unknown',
              state: scenario.unregistered ? 'DOWN' : 'UP',
              version: '',
            },
          ]);
        case 'GET /rest/system/h323gatekeepers':
          return reply(200, []);
        case 'GET /rest/audio':
          return reply(200, {
            muteLocked: false,
            muted: false,
            numOfMicsConnected: microphones().length,
            volume: 39,
          });
        case 'GET /rest/audio/microphones':
          return reply(200, microphones());
        case 'GET /rest/audio/muted':
          return reply(200, false);
        case 'GET /rest/audio/volume':
          return reply(200, 39);
        case 'GET /rest/cameras/contentstatus':
          return reply(200, 'RAW:CONTENT_IDLE');
        case 'POST /rest/current/devicemanagement/devices':
          return reply(200, devices());
        case 'GET /rest/conferences': {
          const calls = book.list().map(conference);
          // Idle Group Series list the placeholder; VideoOS lists it beside a real call.
          const pending = groupSeries() || calls.length > 0 ? [placeholder()] : [];
          return reply(200, [...calls, ...pending]);
        }
        case 'POST /rest/conferences': {
          let dial: { address?: unknown; rate?: unknown; dialType?: unknown };
          try {
            dial = JSON.parse(body) as typeof dial;
          } catch {
            return reply(400, { success: false, reason: 'BAD_REQUEST' });
          }
          if (typeof dial.address !== 'string' || !dial.address)
            return reply(400, { success: false, reason: 'ADDRESS_REQUIRED' });
          const r = book.dial(
            dial.address,
            String(dial.dialType).toUpperCase() === 'H323' ? 'H323' : 'Sip',
            Number(dial.rate) || 1920,
          );
          if (!r.ok) return reply(409, { success: false, reason: r.reason });
          return reply(200, [{ href: `/rest/conferences/${r.call.id}/connections/1` }]);
        }
        default:
          return reply(404, { success: false, reason: 'NOT_FOUND' });
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
