/**
 * A tiny real DNS server (RFC 1035 over UDP) on 127.0.0.1 for tests: answers
 * A/AAAA for the names it knows, NOERROR with no answer (NODATA) for a type a
 * known name lacks, NXDOMAIN for any other name, and never answers the names
 * it is told to keep silent about. Nothing goes to the Internet.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface DnsZone {
  /** name (lower case, no trailing dot) → addresses; IPv4 answers A queries, IPv6 AAAA. */
  records: Record<string, string[]>;
  /** Names whose queries are dropped (the client must time out). */
  silent?: string[];
}

export interface DnsServer {
  port: number;
  /** "127.0.0.1:<port>", for a check's `server`. */
  address: string;
  /** Every question received: name and type (1 = A, 28 = AAAA). */
  queries: Array<{ name: string; type: number }>;
  stop(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let pos = offset;
  // Questions never use compression; bound the loop by the message length anyway.
  while (pos < msg.length) {
    const len = msg[pos] as number;
    if (len === 0) return { name: labels.join('.').toLowerCase(), end: pos + 1 };
    labels.push(msg.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw new Error('truncated question');
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
}

function answer(query: Buffer, zone: DnsZone): Buffer | undefined {
  if (query.length < 12) return undefined;
  const { name, end } = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  if (zone.silent?.includes(name)) return undefined;
  const known = zone.records[name];
  const rcode = known ? 0 : 3; // NXDOMAIN for names we do not know
  const wanted = (known ?? []).filter((a) =>
    type === TYPE_A ? net.isIPv4(a) : type === TYPE_AAAA ? net.isIPv6(a) : false,
  );
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  const rd = query.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2); // QR, AA, RD copied, RA, rcode
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(wanted.length, 6);
  const answers = wanted.map((address) => {
    const rdata = net.isIPv4(address) ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the name in the question
    rr.writeUInt16BE(type, 2);
    rr.writeUInt16BE(1, 4); // class IN
    rr.writeUInt32BE(60, 6); // TTL
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startDnsServer(zone: DnsZone): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const queries: DnsServer['queries'] = [];
  socket.on('message', (msg, from) => {
    try {
      const { name, end } = readName(msg, 12);
      queries.push({ name, type: msg.readUInt16BE(end) });
      const reply = answer(msg, zone);
      if (reply) socket.send(reply, from.port, from.address);
    } catch {
      // A malformed query gets no answer.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    port,
    address: `127.0.0.1:${port}`,
    queries,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
