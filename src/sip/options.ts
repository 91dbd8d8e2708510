/**
 * SIP OPTIONS probe (RFC 3261 §11): is the bridge's SIP stack alive, and how
 * fast does it answer? A request with the mandatory headers (Via with a
 * z9hG4bK branch and rport, Max-Forwards, From with a tag, To, Call-ID,
 * CSeq, Content-Length), retransmitted over UDP on Timer E (500 ms doubling
 * to 4 s), the reply matched on branch + Call-ID + CSeq, 1xx ignored. RTT is
 * from the first send: a lost first packet is part of what the site sees.
 */
import {
  branchOf,
  buildMessage,
  cseq,
  header,
  newBranch,
  newCallId,
  newTag,
  type SipMessage,
} from './message.js';
import { openChannel, type SipChannel, type SipTransport, SipTransportError } from './transport.js';
import { hostForUri } from './uri.js';

export interface OptionsProbe {
  /** Request-URI, e.g. sip:mcu.example.gov.vn or sip:8001@mcu.example.gov.vn:5070. */
  uri: string;
  host: string;
  port: number;
  transport: SipTransport;
  timeoutMs: number;
  signal?: AbortSignal;
  userAgent?: string;
}

export type ProbeOutcome = 'answered' | 'timeout' | 'refused' | 'unresolved' | 'unreachable' | 'aborted';

export interface OptionsResult {
  outcome: ProbeOutcome;
  status?: number;
  reason?: string;
  rttMs?: number;
  /** UDP retransmissions sent before the answer (or the timeout). */
  retransmits: number;
  server?: string;
  /** Resolved peer address. */
  address?: string;
  error?: string;
  /** The request as sent (evidence for the technician; no secrets in it). */
  request?: string;
}

const T1 = 500;
const T2 = 4_000;

export function buildOptions(p: {
  uri: string;
  channel: Pick<SipChannel, 'local' | 'transport'>;
  branch: string;
  tag: string;
  callId: string;
  userAgent: string;
}): string {
  const { address, port } = p.channel.local;
  const local = `${hostForUri(address)}:${port}`;
  return buildMessage(`OPTIONS ${p.uri} SIP/2.0`, [
    ['Via', `SIP/2.0/${p.channel.transport.toUpperCase()} ${local};rport;branch=${p.branch}`],
    ['Max-Forwards', 70],
    ['From', `<sip:probe@${hostForUri(address)}>;tag=${p.tag}`],
    ['To', `<${p.uri}>`],
    ['Call-ID', p.callId],
    ['CSeq', '1 OPTIONS'],
    ['Contact', `<sip:probe@${local}${p.channel.transport === 'tcp' ? ';transport=tcp' : ''}>`],
    ['Accept', 'application/sdp'],
    ['User-Agent', p.userAgent],
  ]);
}

export async function probeOptions(p: OptionsProbe): Promise<OptionsResult> {
  const t0 = performance.now();
  const left = () => p.timeoutMs - (performance.now() - t0);
  let channel: SipChannel;
  try {
    const connectTimeout = AbortSignal.timeout(Math.max(1, Math.ceil(left())));
    const signal = p.signal ? AbortSignal.any([p.signal, connectTimeout]) : connectTimeout;
    channel = await openChannel({ transport: p.transport, host: p.host, port: p.port, signal });
  } catch (err) {
    if (err instanceof SipTransportError) {
      if (err.code === 'ABORTED')
        return { outcome: p.signal?.aborted ? 'aborted' : 'timeout', retransmits: 0 };
      const outcome =
        err.code === 'UNRESOLVED' ? 'unresolved' : err.code === 'REFUSED' ? 'refused' : 'unreachable';
      return { outcome, retransmits: 0, error: err.message };
    }
    throw err;
  }
  const branch = newBranch();
  const callId = newCallId(channel.local.address);
  const request = buildOptions({
    uri: p.uri,
    channel,
    branch,
    tag: newTag(),
    callId,
    userAgent: p.userAgent ?? 'diemcau',
  });
  const address = channel.remote.address;

  return new Promise<OptionsResult>((resolve) => {
    let retransmits = 0;
    let interval = T1;
    let retransmitTimer: NodeJS.Timeout | undefined;
    const finish = (r: Omit<OptionsResult, 'retransmits' | 'address' | 'request'>) => {
      clearTimeout(deadline);
      clearTimeout(retransmitTimer);
      p.signal?.removeEventListener('abort', onAbort);
      channel.close();
      resolve({ ...r, retransmits, address, request });
    };
    const onAbort = () => finish({ outcome: 'aborted' });
    const deadline = setTimeout(() => finish({ outcome: 'timeout' }), Math.max(0, left()));
    p.signal?.addEventListener('abort', onAbort, { once: true });
    if (p.signal?.aborted) return onAbort();
    channel.onMessage((msg: SipMessage) => {
      if (msg.status === undefined || msg.status < 200) return;
      if (branchOf(msg) !== branch || header(msg, 'call-id') !== callId || cseq(msg)?.method !== 'OPTIONS')
        return;
      const server = header(msg, 'server') ?? header(msg, 'user-agent');
      finish({
        outcome: 'answered',
        status: msg.status,
        reason: msg.reason ?? '',
        rttMs: performance.now() - t0,
        ...(server ? { server } : {}),
      });
    });
    channel.onError((err) => {
      if (err.code === 'ECONNREFUSED') finish({ outcome: 'refused', error: err.code });
      else finish({ outcome: 'unreachable', error: err.code ?? err.message });
    });
    const send = () => {
      channel.send(request);
      if (channel.transport !== 'udp') return;
      retransmitTimer = setTimeout(() => {
        retransmits += 1;
        interval = Math.min(interval * 2, T2);
        send();
      }, interval);
    };
    send();
  });
}
