/**
 * A simulated meeting bridge (MCU): a SIP UAS on UDP and TCP (same port) that
 * answers OPTIONS, and INVITE with 100 Trying, 180 Ringing and 200 OK with an
 * SDP answer (retransmitted over UDP until the ACK, RFC 3261 §13.3.1.4),
 * handles ACK, BYE and CANCEL, and can hang up by itself (BYE). A scenario
 * makes it misbehave: reject calls, never answer, answer OPTIONS with 5xx,
 * stay silent, answer slowly.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import {
  branchOf,
  buildMessage,
  buildResponse,
  header,
  newBranch,
  newTag,
  parseMessage,
  type SipMessage,
  SipStreamDecoder,
} from '../sip/message.js';
import { answerSdp } from '../sip/sdp.js';
import { hostForUri } from '../sip/uri.js';

export interface BridgeScenario {
  /** Final status for OPTIONS (default 200). */
  options_status?: number;
  /** Final status for INVITE (default 200; e.g. 486 Busy Here, 403, 503). */
  invite_status?: number;
  /** Ring for ever (until CANCEL). */
  never_answer?: boolean;
  /** Answer nothing at all. */
  silent?: boolean;
  /** Time between 180 Ringing and the final answer (default 50 ms). */
  ring_ms?: number;
  /** Delay before every reply. */
  slow_ms?: number;
  /** The bridge hangs up (BYE) this long after the call is confirmed. */
  hangup_after_ms?: number;
}

export type BridgeTransport = 'udp' | 'tcp' | 'both';

export interface BridgeSimOptions {
  host?: string;
  port?: number;
  transport?: BridgeTransport;
  scenario?: BridgeScenario;
  /** One line per message handled (for `diemcau sim bridge`). */
  onLog?: (line: string) => void;
}

export interface BridgeSim {
  host: string;
  port: number;
  /** sip:bridge@host:port */
  uri: string;
  /** Calls answered and not yet hung up. */
  dialogs(): number;
  /** Every request received: method and transport. */
  requests(): Array<{ method: string; transport: 'udp' | 'tcp' }>;
  update(scenario: BridgeScenario): void;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  603: 'Decline',
};
const reasonOf = (status: number) => REASONS[status] ?? 'Unknown';
const ALLOW = 'INVITE, ACK, CANCEL, OPTIONS, BYE';

interface Peer {
  transport: 'udp' | 'tcp';
  address: string;
  port: number;
  send(text: string): void;
}

interface Dialog {
  callId: string;
  localTag: string;
  invite: SipMessage;
  peer: Peer;
  state: 'early' | 'answered' | 'confirmed';
  timers: NodeJS.Timeout[];
}

export async function startBridgeSim(opts: BridgeSimOptions = {}): Promise<BridgeSim> {
  const host = opts.host ?? '127.0.0.1';
  const transport = opts.transport ?? 'both';
  let scenario: BridgeScenario = { ...opts.scenario };
  const dialogs = new Map<string, Dialog>();
  const seen: Array<{ method: string; transport: 'udp' | 'tcp' }> = [];
  const sockets = new Set<net.Socket>();
  const log = opts.onLog ?? (() => {});
  let port = opts.port ?? 0;
  let closed = false;

  const later = (d: Dialog | undefined, ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      if (!closed) fn();
    }, ms);
    d?.timers.push(timer);
    return timer;
  };
  const reply = (peer: Peer, text: string) => {
    if (closed) return;
    const slow = scenario.slow_ms ?? 0;
    if (slow > 0) setTimeout(() => !closed && peer.send(text), slow);
    else peer.send(text);
  };
  const contact = (peer: Peer) =>
    `<sip:bridge@${hostForUri(host)}:${port}${peer.transport === 'tcp' ? ';transport=tcp' : ''}>`;
  const respond = (
    req: SipMessage,
    peer: Peer,
    status: number,
    extra: { toTag?: string; body?: string; hdrs?: Array<[string, string]> } = {},
  ) => {
    const withBody = extra.body ? ([['Content-Type', 'application/sdp']] as Array<[string, string]>) : [];
    const text = buildResponse(req, status, reasonOf(status), {
      ...(extra.toTag ? { toTag: extra.toTag } : {}),
      received: { address: peer.address, port: peer.port },
      extra: [
        ['Contact', contact(peer)],
        ['Allow', ALLOW],
        ['Server', 'diemcau-sim-bridge'],
        ...(extra.hdrs ?? []),
        ...withBody,
      ],
      ...(extra.body ? { body: extra.body } : {}),
    });
    reply(peer, text);
    log(`${peer.transport} ${req.method} ${peer.address}:${peer.port} → ${status} ${reasonOf(status)}`);
    return text;
  };

  const endDialog = (d: Dialog) => {
    for (const timer of d.timers) clearTimeout(timer);
    dialogs.delete(d.callId);
  };

  /** The bridge hangs up: BYE to the caller's Contact, in the dialog (RFC 3261 §15). */
  const sendBye = (d: Dialog) => {
    const inv = d.invite;
    const target = /<([^>]+)>/.exec(header(inv, 'contact') ?? '')?.[1] ?? (inv.uri as string);
    const bye = buildMessage(`BYE ${target} SIP/2.0`, [
      ['Via', `SIP/2.0/${d.peer.transport.toUpperCase()} ${hostForUri(host)}:${port};branch=${newBranch()}`],
      ['Max-Forwards', 70],
      ['From', `${header(inv, 'to')};tag=${d.localTag}`],
      ['To', header(inv, 'from') ?? ''],
      ['Call-ID', d.callId],
      ['CSeq', '1 BYE'],
    ]);
    reply(d.peer, bye);
    log(`${d.peer.transport} BYE → ${target}`);
    endDialog(d);
  };

  const onInvite = (req: SipMessage, peer: Peer) => {
    const callId = header(req, 'call-id') ?? '';
    const existing = dialogs.get(callId);
    if (existing && existing.state !== 'early') {
      // re-INVITE in an established dialog: the same answer again.
      respond(req, peer, 200, { toTag: existing.localTag, body: answerSdp(req.body, host, 40_000) });
      return;
    }
    if (existing) return; // retransmitted INVITE while ringing
    const d: Dialog = { callId, localTag: newTag(), invite: req, peer, state: 'early', timers: [] };
    dialogs.set(callId, d);
    respond(req, peer, 100);
    const ring = scenario.ring_ms ?? 50;
    later(d, Math.min(ring, 10), () => respond(req, peer, 180, { toTag: d.localTag }));
    if (scenario.never_answer) return;
    later(d, ring, () => {
      const status = scenario.invite_status ?? 200;
      if (status >= 300) {
        respond(req, peer, status, { toTag: d.localTag });
        endDialog(d);
        return;
      }
      d.state = 'answered';
      const ok = respond(req, peer, 200, { toTag: d.localTag, body: answerSdp(req.body, host, 40_000) });
      if (peer.transport === 'udp') {
        // Retransmit the 2xx until the ACK: T1 doubling to T2, for at most 64·T1.
        let interval = 500;
        let spent = 0;
        const again = () => {
          if (d.state !== 'answered' || spent >= 32_000) return;
          reply(peer, ok);
          spent += interval;
          interval = Math.min(interval * 2, 4_000);
          later(d, interval, again);
        };
        later(d, interval, again);
      }
    });
  };

  const onRequest = (req: SipMessage, peer: Peer) => {
    const method = req.method as string;
    seen.push({ method, transport: peer.transport });
    if (scenario.silent) {
      log(`${peer.transport} ${method} ${peer.address}:${peer.port} → (silent)`);
      return;
    }
    const callId = header(req, 'call-id') ?? '';
    switch (method) {
      case 'OPTIONS':
        respond(req, peer, scenario.options_status ?? 200, {
          toTag: newTag(),
          hdrs: [
            ['Accept', 'application/sdp'],
            ['Supported', ''],
          ],
        });
        return;
      case 'INVITE':
        onInvite(req, peer);
        return;
      case 'ACK': {
        const d = dialogs.get(callId);
        if (d && d.state === 'answered') {
          d.state = 'confirmed';
          log(`${peer.transport} ACK ${peer.address}:${peer.port}: call up (${dialogs.size} active)`);
          if (scenario.hangup_after_ms !== undefined) later(d, scenario.hangup_after_ms, () => sendBye(d));
        }
        return;
      }
      case 'BYE': {
        const d = dialogs.get(callId);
        respond(req, peer, d ? 200 : 481);
        if (d) endDialog(d);
        return;
      }
      case 'CANCEL': {
        const d = dialogs.get(callId);
        if (d?.state !== 'early' || branchOf(d.invite) !== branchOf(req)) {
          respond(req, peer, 481);
          return;
        }
        respond(req, peer, 200, { toTag: d.localTag });
        respond(d.invite, peer, 487, { toTag: d.localTag });
        endDialog(d);
        return;
      }
      default:
        respond(req, peer, 405);
    }
  };

  const onMessage = (msg: SipMessage, peer: Peer) => {
    if (closed) return;
    if (msg.method) onRequest(msg, peer);
    // Responses (200 to our BYE) need nothing.
  };

  // Bind UDP first (it picks the port when 0), then TCP on the same number; retry if TCP's is taken.
  let udp: dgram.Socket | undefined;
  let tcp: net.Server | undefined;
  for (let tries = 0; ; tries++) {
    try {
      if (transport !== 'tcp') udp = await bindUdp(host, port);
      const udpPort = udp?.address().port ?? port;
      if (transport !== 'udp') tcp = await listenTcp(host, udpPort);
      port = udpPort || ((tcp as net.Server).address() as net.AddressInfo).port;
      break;
    } catch (err) {
      udp?.close();
      udp = undefined;
      if (opts.port || tries >= 20 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  udp?.on('message', (buf, rinfo) => {
    const msg = parseMessage(buf.toString('utf8'));
    if (!msg) return;
    onMessage(msg, {
      transport: 'udp',
      address: rinfo.address,
      port: rinfo.port,
      send: (text) => udp?.send(text, rinfo.port, rinfo.address),
    });
  });
  tcp?.on('connection', (socket) => {
    sockets.add(socket);
    const decoder = new SipStreamDecoder();
    const peer: Peer = {
      transport: 'tcp',
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      send: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
    };
    socket.on('data', (chunk) => {
      for (const msg of decoder.push(chunk)) onMessage(msg, peer);
      if (decoder.overflow) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });

  return {
    host,
    port,
    uri: `sip:bridge@${hostForUri(host)}:${port}`,
    dialogs: () => [...dialogs.values()].filter((d) => d.state !== 'early').length,
    requests: () => [...seen],
    update(next) {
      scenario = { ...scenario, ...next };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const d of dialogs.values()) for (const timer of d.timers) clearTimeout(timer);
      dialogs.clear();
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => (udp ? udp.close(() => r()) : r())),
        new Promise<void>((r) => (tcp ? tcp.close(() => r()) : r())),
      ]);
    },
  };
}

function bindUdp(host: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

function listenTcp(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
