/**
 * A minimal SIP caller (UAC), enough for a simulated codec to really dial a
 * bridge, also through a proxy: INVITE with an SDP offer (retransmitted over
 * UDP until a reply), answering one digest challenge (401/407, MD5 or
 * SHA-256) with the configured credentials, ACK for the final answer,
 * CANCEL while ringing, BYE when connected, and answering the far end's
 * BYE. ACK and BYE follow the route set the 2xx's Record-Route gave
 * (RFC 3261 §12.1.2). Every request goes to the next hop we dialled (the
 * bridge, or the outbound proxy that record-routes). Not a general SIP
 * stack: no forking, no re-INVITE.
 */

import { type DigestCredentials, digestAuthorization, pickChallenge } from './digest.js';
import {
  branchOf,
  buildMessage,
  buildResponse,
  cseq,
  header,
  headers,
  newBranch,
  newCallId,
  newTag,
  param,
  type SipMessage,
} from './message.js';
import { inDialogTarget, routeSetFrom } from './route.js';
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
  /** Credentials for a digest challenge (401 / 407); without them a challenge ends the call. */
  auth?: DigestCredentials;
  /** Give up when no final answer comes within this (Timer B is 32 s). */
  timeoutMs?: number;
}

export interface UacCall {
  readonly state: UacState;
  /** Why it ended: a status (486, 407...), 'bye' (far end hung up), 'timeout', 'local', 'error'. */
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
  const contact = `<sip:${user}@${local}${opts.transport === 'tcp' ? ';transport=tcp' : ''}>`;
  let to = `<${opts.uri}>`;
  let remoteTarget = opts.uri;
  let routeSet: string[] = [];
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

  // The INVITE transaction in progress: a digest challenge starts a new one (CSeq + 1, new branch).
  let seq = 1;
  let inviteBranch = newBranch();
  let authTries = 0;
  /** The headers every request of the INVITE transaction (INVITE, its CANCEL, the ACK of a failure) shares. */
  const transactionHeaders = (method: string, branch: string, toValue: string, cseqNo: number) =>
    [
      ['Via', via(branch)],
      ['Max-Forwards', 70],
      ['From', from],
      ['To', toValue],
      ['Call-ID', callId],
      ['CSeq', `${cseqNo} ${method}`],
    ] satisfies Array<[string, string | number]>;
  const buildInvite = (authorization?: [string, string]) =>
    buildMessage(
      `INVITE ${opts.uri} SIP/2.0`,
      [
        ...transactionHeaders('INVITE', inviteBranch, `<${opts.uri}>`, seq),
        ['Contact', contact],
        ...(authorization ? [authorization] : []),
        ['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE'],
        ['Content-Type', 'application/sdp'],
        ['User-Agent', 'diemcau-sim-codec'],
      ],
      offerSdp(channel.local.address, 30_000, 'diemcau-codec'),
    );
  let invite = buildInvite();
  /** An in-dialog request (ACK for a 2xx, BYE) along the route set. */
  const inDialog = (method: 'ACK' | 'BYE', cseqNo: number) => {
    const { requestUri, routes } = inDialogTarget(routeSet, remoteTarget);
    return buildMessage(`${method} ${requestUri} SIP/2.0`, [
      ['Via', via(newBranch())],
      ...routes.map((r): [string, string] => ['Route', r]),
      ['Max-Forwards', 70],
      ['From', from],
      ['To', to],
      ['Call-ID', callId],
      ['CSeq', `${cseqNo} ${method}`],
    ]);
  };
  // ACK for a non-2xx belongs to the INVITE transaction: same Request-URI, branch and CSeq number (§17.1.1.3).
  const ackFailure = (response: SipMessage, cseqNo = seq) =>
    buildMessage(
      `ACK ${opts.uri} SIP/2.0`,
      transactionHeaders('ACK', branchOf(response) ?? inviteBranch, header(response, 'to') ?? to, cseqNo),
    );
  let ack2xx: string | undefined;

  /** Answer a 401/407 once (again only when the server says the nonce was stale); false: give up. */
  const answerChallenge = (response: SipMessage, status: number): boolean => {
    if (!opts.auth) return false;
    const proxy = status === 407;
    const challenge = pickChallenge(headers(response, proxy ? 'proxy-authenticate' : 'www-authenticate'));
    if (!challenge || authTries >= 2 || (authTries === 1 && !challenge.stale)) return false;
    authTries += 1;
    seq += 1;
    inviteBranch = newBranch();
    const value = digestAuthorization(challenge, opts.auth, { method: 'INVITE', uri: opts.uri });
    invite = buildInvite([proxy ? 'Proxy-Authorization' : 'Authorization', value]);
    interval = 500;
    send();
    return true;
  };

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
    if (status >= 300 && c.seq !== seq) {
      // A retransmitted final answer to an earlier INVITE (the one challenged): ACK it again, nothing else.
      channel.send(ackFailure(msg, c.seq));
      return;
    }
    if (c.seq !== seq) return;
    clearTimeout(retransmit);
    if (status < 200) {
      // A proxy may forward a 180 after the 200 (its workers race): a late provisional changes nothing.
      if (status >= 180 && state === 'calling') set('ringing');
      return;
    }
    if (status < 300) {
      if (!ack2xx) {
        const toHeader = header(msg, 'to') ?? to;
        if (param(toHeader, 'tag')) to = toHeader;
        remoteTarget = /<([^>]+)>/.exec(header(msg, 'contact') ?? '')?.[1] ?? remoteTarget;
        routeSet = routeSetFrom(msg);
        ack2xx = inDialog('ACK', seq);
      }
      // ACK for a 2xx is a new transaction (new branch); re-sent for each retransmitted 2xx.
      channel.send(ack2xx);
      set('connected');
      return;
    }
    channel.send(ackFailure(msg));
    if ((status === 401 || status === 407) && state !== 'ended' && answerChallenge(msg, status)) return;
    set('ended', String(status));
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

  const request = (method: 'BYE' | 'CANCEL') =>
    method === 'BYE'
      ? inDialog('BYE', seq + 1)
      : // CANCEL matches the INVITE it cancels: Request-URI, branch, To and CSeq number (§9.1).
        buildMessage(
          `CANCEL ${opts.uri} SIP/2.0`,
          transactionHeaders('CANCEL', inviteBranch, `<${opts.uri}>`, seq),
        );

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
