/**
 * A minimal SIP caller (UAC), enough for a simulated codec to really dial a
 * bridge: INVITE with an SDP offer (retransmitted over UDP until a reply),
 * ACK for the final answer, CANCEL while ringing, BYE when connected, and
 * answering the far end's BYE. Not a general SIP stack: no auth, no
 * forking, no re-INVITE.
 */
import {
  branchOf,
  buildMessage,
  buildResponse,
  cseq,
  header,
  newBranch,
  newCallId,
  newTag,
  param,
  type SipMessage,
} from './message.js';
import { offerSdp } from './sdp.js';
import { openChannel, type SipChannel, type SipTransport } from './transport.js';
import { hostForUri } from './uri.js';

export type UacState = 'calling' | 'ringing' | 'connected' | 'ended';

export interface UacOptions {
  /** Request-URI (the bridge / meeting). */
  uri: string;
  host: string;
  port: number;
  transport: SipTransport;
  user?: string;
  /** Give up when no final answer comes within this (Timer B is 32 s). */
  timeoutMs?: number;
}

export interface UacCall {
  readonly state: UacState;
  /** Why it ended: a status (486...), 'bye' (far end hung up), 'timeout', 'local', 'error'. */
  readonly endReason: string | undefined;
  onChange(cb: (state: UacState) => void): void;
  /** CANCEL while ringing, BYE when connected; resolves when done (or after 2 s). */
  hangup(): Promise<void>;
}

export async function placeCall(opts: UacOptions): Promise<UacCall> {
  const channel: SipChannel = await openChannel({
    transport: opts.transport,
    host: opts.host,
    port: opts.port,
  });
  const local = `${hostForUri(channel.local.address)}:${channel.local.port}`;
  const via = (branch: string) => `SIP/2.0/${opts.transport.toUpperCase()} ${local};rport;branch=${branch}`;
  const user = opts.user ?? 'codec';
  const from = `<sip:${user}@${hostForUri(channel.local.address)}>;tag=${newTag()}`;
  const callId = newCallId(channel.local.address);
  const inviteBranch = newBranch();
  const contact = `<sip:${user}@${local}${opts.transport === 'tcp' ? ';transport=tcp' : ''}>`;
  let to = `<${opts.uri}>`;
  let remoteTarget = opts.uri;
  let state: UacState = 'calling';
  let endReason: string | undefined;
  const listeners: Array<(s: UacState) => void> = [];
  const waiters: Array<() => void> = [];
  let retransmit: NodeJS.Timeout | undefined;

  const set = (next: UacState, reason?: string) => {
    if (state === next || state === 'ended') return;
    state = next;
    if (reason) endReason = reason;
    if (next === 'ended') {
      clearTimeout(retransmit);
      clearTimeout(timeout);
      setTimeout(() => channel.close(), 50);
    }
    for (const l of listeners) l(next);
  };

  const invite = buildMessage(
    `INVITE ${opts.uri} SIP/2.0`,
    [
      ['Via', via(inviteBranch)],
      ['Max-Forwards', 70],
      ['From', from],
      ['To', to],
      ['Call-ID', callId],
      ['CSeq', '1 INVITE'],
      ['Contact', contact],
      ['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE'],
      ['Content-Type', 'application/sdp'],
      ['User-Agent', 'diemcau-sim-codec'],
    ],
    offerSdp(channel.local.address, 30_000, 'diemcau-codec'),
  );
  const ack = (branch: string) =>
    buildMessage(`ACK ${remoteTarget} SIP/2.0`, [
      ['Via', via(branch)],
      ['Max-Forwards', 70],
      ['From', from],
      ['To', to],
      ['Call-ID', callId],
      ['CSeq', '1 ACK'],
    ]);

  channel.onMessage((msg: SipMessage) => {
    if (header(msg, 'call-id') !== callId) return;
    if (msg.method === 'BYE') {
      channel.send(buildResponse(msg, 200, 'OK'));
      set('ended', 'bye');
      return;
    }
    if (msg.method) return;
    const status = msg.status as number;
    const c = cseq(msg);
    if (c?.method !== 'INVITE') {
      if (c?.method === 'BYE') for (const w of waiters.splice(0)) w();
      return;
    }
    clearTimeout(retransmit);
    if (status < 200) {
      if (status >= 180) set('ringing');
      return;
    }
    const toHeader = header(msg, 'to') ?? to;
    if (param(toHeader, 'tag')) to = toHeader;
    if (status < 300) {
      remoteTarget = /<([^>]+)>/.exec(header(msg, 'contact') ?? '')?.[1] ?? remoteTarget;
      // ACK for a 2xx is a new transaction (new branch); also re-sent for each retransmitted 2xx.
      channel.send(ack(newBranch()));
      set('connected');
    } else {
      // ACK for a non-2xx belongs to the INVITE transaction: same branch.
      channel.send(ack(branchOf(msg) ?? inviteBranch));
      set('ended', String(status));
    }
  });
  channel.onError(() => set('ended', 'error'));

  const timeout = setTimeout(() => set('ended', 'timeout'), opts.timeoutMs ?? 32_000);
  let interval = 500;
  const send = () => {
    channel.send(invite);
    if (opts.transport === 'udp') {
      retransmit = setTimeout(() => {
        if (state !== 'calling') return;
        interval = Math.min(interval * 2, 4_000);
        send();
      }, interval);
    }
  };
  send();

  const request = (method: 'BYE' | 'CANCEL') => {
    const isCancel = method === 'CANCEL';
    return buildMessage(`${method} ${isCancel ? opts.uri : remoteTarget} SIP/2.0`, [
      ['Via', via(isCancel ? inviteBranch : newBranch())],
      ['Max-Forwards', 70],
      ['From', from],
      ['To', isCancel ? `<${opts.uri}>` : to],
      ['Call-ID', callId],
      ['CSeq', isCancel ? '1 CANCEL' : '2 BYE'],
    ]);
  };

  return {
    get state() {
      return state;
    },
    get endReason() {
      return endReason;
    },
    onChange: (cb) => listeners.push(cb),
    async hangup() {
      if (state === 'ended') return;
      const method = state === 'connected' ? 'BYE' : 'CANCEL';
      // BYE: done at its 200. CANCEL: done when the INVITE gets its final answer (487), which ends the call.
      const answered = new Promise<void>((resolve) => {
        if (method === 'BYE') waiters.push(resolve);
        else listeners.push((s) => s === 'ended' && resolve());
        setTimeout(resolve, 2_000);
      });
      channel.send(request(method));
      await answered;
      set('ended', 'local');
    },
  };
}
