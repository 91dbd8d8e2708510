/** A local HTTP service on 127.0.0.1 that records each request and answers as a handler says. */
import http from 'node:http';
import type net from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export interface Peer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function peer(answer: (req: Seen) => Answer): Promise<Peer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      const a = answer(s);
      if (a === 'hang') return;
      const text = typeof a.body === 'string' ? a.body : a.body === undefined ? '' : JSON.stringify(a.body);
      res.writeHead(a.status, {
        'content-type': typeof a.body === 'string' ? 'text/html' : 'application/json',
        ...a.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A port nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  const p = await peer(() => ({ status: 200 }));
  await p.close();
  return p.url;
}
