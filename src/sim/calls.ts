/**
 * The calls of a simulated codec, shared by the Cisco and Poly simulators:
 * state over time (Dialling → Ringing → Connected, or torn down when the far
 * end refuses), media counters that grow with the call, and the scenario's
 * faults. When the number is a SIP address with an IP and a port
 * (`8001@127.0.0.1:5070`), the call really goes out over SIP (to
 * `diemcau sim bridge`, sipp...), and its state follows the real answer.
 */
import net from 'node:net';
import type { UacCall } from '../sip/uac.js';
import type { CodecScenario } from './scenario.js';

export type SimCallState = 'Dialling' | 'Ringing' | 'Connected' | 'Disconnecting';

export interface SimCall {
  id: number;
  remote: string;
  protocol: 'Sip' | 'H323';
  rateKbps: number;
  direction: 'Incoming' | 'Outgoing';
  state: SimCallState;
  createdAt: number;
  connectedAt?: number;
  /** The meeting the `busy` scenario puts the codec in. */
  meeting?: boolean;
  sip?: UacCall;
}

/** How a call ended, kept for the codec's call history (Cisco `CallHistory Get`). */
export interface SimCallEnd {
  callId: number;
  remote: string;
  protocol: SimCall['protocol'];
  /** SIP final status when the far end (or a proxy) refused. */
  sipCode?: number;
  /** Cisco-style DisconnectCauseType: RemoteBusy, UnknownRemoteSite, Rejected, TimedOut, RemoteDisconnect... */
  causeType: string;
  origin: 'SIP' | 'Internal';
  endedAt: number;
  durationS: number;
}

/** The SIP codes the sim names a cause type for; others are plain Rejected. */
const CAUSE_TYPES: Record<number, string> = {
  404: 'UnknownRemoteSite',
  486: 'RemoteBusy',
  600: 'RemoteBusy',
  604: 'UnknownRemoteSite',
};

export interface SimChannel {
  item: number;
  direction: 'Incoming' | 'Outgoing';
  type: 'Audio' | 'Video';
  protocol: string;
  rateBps: number;
  jitterMs: number;
  packets: number;
  lost: number;
  lossPct: number;
}

export type DialOutcome = { ok: true; call: SimCall } | { ok: false; reason: string };

export interface CallBookOptions {
  scenario: () => CodecScenario;
  /** `auto` (default): real SIP when the number has an IP literal and a port; `off`: always simulated. */
  sipDial?: 'auto' | 'off';
  log?: (line: string) => void;
  now?: () => number;
}

const MAX_CALLS = 3;

/** `8001@127.0.0.1:5070` or `sip:...` with an IP literal and an explicit port: something we can really call. */
export function realSipTarget(
  number: string,
): { uri: string; host: string; port: number; transport: 'udp' | 'tcp' } | undefined {
  const m = /^(?:sip:)?(?:([^@\s]+)@)?(\[[^\]]+\]|[^:;@\s]+):(\d+)(;.*)?$/i.exec(number);
  if (!m) return undefined;
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  if (!net.isIP(host)) return undefined;
  const transport = /;transport=tcp/i.test(m[4] ?? '') ? 'tcp' : 'udp';
  return { uri: `sip:${m[1] ? `${m[1]}@` : ''}${m[2]}:${m[3]}`, host, port: Number(m[3]), transport };
}

export class CallBook {
  private readonly calls = new Map<number, SimCall>();
  private readonly history: SimCallEnd[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextId = 1;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly opts: CallBookOptions) {
    this.now = opts.now ?? Date.now;
  }

  private get scenario(): CodecScenario {
    return this.opts.scenario();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(timer);
  }

  /** The calls now (the `busy` scenario adds / removes its meeting here). */
  list(): SimCall[] {
    const meeting = [...this.calls.values()].find((c) => c.meeting);
    if (this.scenario.busy && !meeting) {
      const id = this.nextId++;
      this.calls.set(id, {
        id,
        remote: 'hop-tinh@mcu.example.gov.vn',
        protocol: 'Sip',
        rateKbps: 1920,
        direction: 'Incoming',
        state: 'Connected',
        createdAt: this.now() - 600_000,
        connectedAt: this.now() - 600_000,
        meeting: true,
      });
    } else if (!this.scenario.busy && meeting) this.calls.delete(meeting.id);
    return [...this.calls.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): SimCall | undefined {
    this.list();
    return this.calls.get(id);
  }

  dial(number: string, protocol: 'Sip' | 'H323', rateKbps: number): DialOutcome {
    if (this.list().length >= MAX_CALLS) return { ok: false, reason: 'Maximum number of calls reached' };
    if (this.scenario.busy) return { ok: false, reason: 'Maximum number of calls reached' };
    const call: SimCall = {
      id: this.nextId++,
      remote: number,
      protocol,
      rateKbps,
      direction: 'Outgoing',
      state: 'Dialling',
      createdAt: this.now(),
    };
    this.calls.set(call.id, call);
    this.opts.log?.(`dial ${number} (${protocol}, ${rateKbps} kbps): call ${call.id}`);
    const target = this.opts.sipDial === 'off' || this.scenario.call ? undefined : realSipTarget(number);
    if (target) this.dialSip(call, target);
    else this.dialSimulated(call);
    return { ok: true, call };
  }

  private connected(call: SimCall): void {
    call.state = 'Connected';
    call.connectedAt = this.now();
    this.opts.log?.(`call ${call.id}: connected`);
    const drop = this.scenario.drop_after_ms;
    if (drop !== undefined) this.later(drop, () => this.tearDown(call, 'dropped'));
  }

  private dialSimulated(call: SimCall): void {
    const answerAfter = this.scenario.answer_after_ms ?? 200;
    this.later(Math.min(50, answerAfter / 2), () => {
      if (call.state === 'Dialling') call.state = 'Ringing';
    });
    const behaviour = this.scenario.call ?? 'answer';
    if (behaviour === 'never_answer') return;
    this.later(answerAfter, () => {
      if (!this.calls.has(call.id)) return;
      if (behaviour === 'reject') this.tearDown(call, 'rejected by the far end', this.scenario.reject_status);
      else this.connected(call);
    });
  }

  private dialSip(call: SimCall, target: NonNullable<ReturnType<typeof realSipTarget>>): void {
    const { sip_username: username, sip_password: password } = this.scenario;
    const auth = username && password ? { username, password } : undefined;
    import('../sip/uac.js')
      .then(({ placeCall }) =>
        placeCall({ ...target, user: username ?? 'codec', timeoutMs: 32_000, ...(auth ? { auth } : {}) }),
      )
      .then((uac) => {
        call.sip = uac;
        if (!this.calls.has(call.id) || this.closed) {
          void uac.hangup();
          return;
        }
        uac.onChange((s) => {
          if (s === 'ringing' && call.state === 'Dialling') call.state = 'Ringing';
          else if (s === 'connected') this.connected(call);
          else if (s === 'ended') {
            const code = Number(uac.endReason);
            this.tearDown(call, `SIP ${uac.endReason ?? 'ended'}`, code >= 300 ? code : uac.endReason);
          }
        });
      })
      .catch((err: unknown) =>
        this.tearDown(call, `SIP ${err instanceof Error ? err.message : String(err)}`),
      );
  }

  /** Ended calls, most recent first (at most 20, like a short call history). */
  ended(): SimCallEnd[] {
    return [...this.history];
  }

  private remember(call: SimCall, how: number | string | undefined): void {
    const sipCode = typeof how === 'number' ? how : undefined;
    const causeType =
      sipCode !== undefined
        ? (CAUSE_TYPES[sipCode] ?? 'Rejected')
        : how === 'timeout'
          ? 'TimedOut'
          : how === 'local'
            ? 'LocalDisconnect'
            : 'RemoteDisconnect';
    const since = call.connectedAt ?? this.now();
    this.history.unshift({
      callId: call.id,
      remote: call.remote,
      protocol: call.protocol,
      ...(sipCode !== undefined ? { sipCode } : {}),
      causeType,
      origin: sipCode !== undefined ? 'SIP' : 'Internal',
      endedAt: this.now(),
      durationS: Math.round((this.now() - since) / 1000),
    });
    this.history.length = Math.min(this.history.length, 20);
  }

  /** The far end (or the line) ended the call: Disconnecting briefly, then gone. */
  private tearDown(call: SimCall, why: string, how?: number | string): void {
    if (!this.calls.has(call.id) || call.state === 'Disconnecting') return;
    // A refusal with no status given (the plain `reject` scenario) leaves no cause, like a codec that files none.
    if (how !== undefined) this.remember(call, how);
    call.state = 'Disconnecting';
    this.opts.log?.(`call ${call.id}: ${why}`);
    void call.sip?.hangup();
    this.later(100, () => this.calls.delete(call.id));
  }

  /** Hang up from our side; false when there is no such call. */
  disconnect(id: number): boolean {
    const call = this.get(id);
    if (!call) return false;
    this.calls.delete(id);
    if (!call.meeting && call.state !== 'Disconnecting') this.remember(call, 'local');
    this.opts.log?.(`call ${id}: hung up`);
    void call.sip?.hangup();
    return true;
  }

  /**
   * Media channels of a connected call: audio and video each way, counters
   * growing with the time connected (audio 50 pps; video at the call rate
   * in 1,200-byte packets), loss and jitter from the scenario.
   */
  media(call: SimCall): SimChannel[] {
    if (call.state !== 'Connected' || call.connectedAt === undefined) return [];
    const seconds = Math.max(0, (this.now() - call.connectedAt) / 1000);
    const lossPct = this.scenario.loss_pct ?? 0;
    const jitter = this.scenario.jitter_ms ?? 3;
    const videoBps = Math.max(64, call.rateKbps - 64) * 1000;
    const videoPps = videoBps / 8 / 1200;
    const channel = (
      item: number,
      direction: SimChannel['direction'],
      type: SimChannel['type'],
    ): SimChannel => {
      const incoming = direction === 'Incoming';
      const pps = type === 'Audio' ? 50 : videoPps;
      const packets = Math.floor(pps * seconds);
      const lost = incoming ? Math.round((packets * lossPct) / 100) : 0;
      return {
        item,
        direction,
        type,
        protocol: type === 'Audio' ? 'Opus' : 'H264',
        rateBps: type === 'Audio' ? 64_000 : videoBps,
        jitterMs: incoming ? jitter : 0,
        packets,
        lost,
        lossPct: incoming ? lossPct : 0,
      };
    };
    const base = call.id * 10;
    return [
      channel(base + 1, 'Incoming', 'Audio'),
      channel(base + 2, 'Incoming', 'Video'),
      channel(base + 3, 'Outgoing', 'Audio'),
      channel(base + 4, 'Outgoing', 'Video'),
    ];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.calls.values()].map((c) => c.sip?.hangup()));
    this.calls.clear();
  }
}
