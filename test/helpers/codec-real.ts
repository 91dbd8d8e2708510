/**
 * Payloads captured from real codecs (test/fixtures/codec-real, sources in
 * its SOURCES.md) served on 127.0.0.1 at the paths the drivers ask for,
 * with real session handling (begin/end, login/logout) and a count of the
 * sessions left open. Shared by the driver tests
 * (test/drivers/codec-real.test.ts) and the CLI tests
 * (test/commands/codec-real.test.ts).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

const here = path.dirname(fileURLToPath(import.meta.url));

/** One capture, verbatim. */
export const fixture = (name: string) =>
  readFileSync(path.join(here, '../fixtures/codec-real', name), 'utf8');

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string | string[]>;
}
type Handler = (method: string, url: URL, headers: http.IncomingHttpHeaders) => Reply;

export interface Served {
  port: number;
  /** Sessions begun and not ended. */
  open: () => number;
  /** Every request, as "METHOD /path" (to prove what was, and was not, asked). */
  requests: string[];
  close: () => Promise<void>;
}

async function serve(handler: Handler, open: () => number): Promise<Served> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}`);
      const r = handler(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x'), req.headers);
      res.writeHead(r.status, { 'content-length': Buffer.byteLength(r.body ?? ''), ...r.headers });
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    open,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

// --- Cisco: /getxml?location= answers the subtree of one captured /status.xml, wrapped from the root.
const xmlOpts = { ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false } as const;
function subtree(doc: string, location: string): string {
  const parsed = new XMLParser(xmlOpts).parse(doc) as { Status: Record<string, unknown> };
  const root = parsed.Status;
  const attrs = Object.fromEntries(Object.entries(root).filter(([k]) => k.startsWith('@_')));
  const names = location.split('/').filter(Boolean).slice(1);
  let node: unknown = root;
  for (const n of names) node = (node as Record<string, unknown> | undefined)?.[n];
  let wrapped: unknown = node;
  for (const n of [...names].reverse()) wrapped = { [n]: wrapped };
  const body = node === undefined ? attrs : { ...attrs, ...(wrapped as object) };
  return `<?xml version="1.0"?>\n${new XMLBuilder(xmlOpts).build({ Status: body })}`;
}

export interface CiscoOpts {
  /** Replace the reply to one location (or any request when '*'). */
  override?: (location: string) => Reply | undefined;
}

const XML = { 'content-type': 'text/xml' };

/** A Cisco xAPI over one captured status document (session auth: /xmlapi/session/begin and end). */
export async function ciscoFixture(doc: string, opts: CiscoOpts = {}): Promise<Served> {
  const sessions = new Set<string>();
  let n = 0;
  return serve(
    (method, url, headers) => {
      if (method === 'POST' && url.pathname === '/xmlapi/session/begin') {
        const id = `s${++n}`;
        sessions.add(id);
        return { status: 204, headers: { 'set-cookie': `SessionId=${id}; Path=/; HttpOnly` } };
      }
      const sid = /SessionId=([^;]+)/.exec(headers.cookie ?? '')?.[1];
      if (method === 'POST' && url.pathname === '/xmlapi/session/end') {
        return { status: sid && sessions.delete(sid) ? 204 : 200 };
      }
      if (!sid || !sessions.has(sid)) return { status: 401 };
      const location = url.searchParams.get('location') ?? '';
      const over = opts.override?.(location);
      if (over) return over;
      if (url.pathname === '/getxml') return { status: 200, body: subtree(doc, location), headers: XML };
      return { status: 404 };
    },
    () => sessions.size,
  );
}

/** The SIP registration fragment (c7) in the status document it came from. */
export const ciscoSipFailed = () =>
  `<Status><SIP>${fixture('cisco/c7-sip-registration-failed-fragment.xml')}</SIP></Status>`;

// --- Poly: a login, then a table of paths → captured bodies; anything else 404 (a path this model lacks).
export interface PolyOpts {
  loginPath?: string;
  /** Replace the reply to one request ("GET /rest/system"). */
  override?: (route: string) => Reply | undefined;
}

/** A Poly REST API over a table of "METHOD /path" → captured body. */
export async function polyFixture(routes: Record<string, string>, opts: PolyOpts = {}): Promise<Served> {
  const sessions = new Set<string>();
  let n = 0;
  const loginPath = opts.loginPath ?? '/rest/current/session';
  return serve(
    (method, url, headers) => {
      const route = `${method} ${url.pathname}`;
      if (route === `POST ${loginPath}`) {
        const id = `PSN${++n}`;
        sessions.add(id);
        return {
          status: 200,
          body: JSON.stringify({ success: true, session: { sessionId: id } }),
          headers: {
            'content-type': 'application/json',
            'set-cookie': [`session_id=${id}`, `XSRF-TOKEN=x${n}`],
          },
        };
      }
      // The other generation's login path is not on this model.
      if (method === 'POST' && /^\/rest\/(current\/)?session$/.test(url.pathname)) return { status: 404 };
      const sid = /session_id=([^;]+)/.exec(headers.cookie ?? '')?.[1];
      if (!sid || !sessions.has(sid)) return { status: 403 };
      if (route === `DELETE ${loginPath}`) {
        sessions.delete(sid);
        return { status: 204 };
      }
      const over = opts.override?.(route);
      if (over) return over;
      const body = routes[route];
      return body === undefined
        ? { status: 404, body: '{"success":false}' }
        : { status: 200, body, headers: { 'content-type': 'application/json' } };
    },
    () => sessions.size,
  );
}

/** Studio X30 on VideoOS 3.12 (p1–p9). */
export const X30 = {
  'GET /rest/system': fixture('poly/p1-studiox30-3.12-system.json'),
  'GET /rest/system/status': fixture('poly/p2-studiox30-3.12-system-status.json'),
  'GET /rest/system/sipservers': fixture('poly/p3-studiox30-3.12-sipservers.json'),
  'GET /rest/system/h323gatekeepers': fixture('poly/p4-studiox30-3.12-h323gatekeepers.json'),
  'GET /rest/audio/microphones': fixture('poly/p5-studiox30-3.12-audio-microphones.json'),
  'POST /rest/current/devicemanagement/devices': fixture(
    'poly/p6-studiox30-3.12-devicemanagement-devices.json',
  ),
  'GET /rest/conferences': fixture('poly/p7-studiox30-3.12-conferences-idle.json'),
  'GET /rest/audio/muted': fixture('poly/p8-studiox30-3.12-audio-muted.txt'),
  'GET /rest/audio': fixture('poly/p9-studiox30-3.12-audio.json'),
};

/** RealPresence Group 500 on 6.2.2 (p10, p11, p14): log in at /rest/session. */
export const GROUP_500 = {
  'GET /rest/system': fixture('poly/p10-group500-6.2.2-system.json'),
  'GET /rest/system/status': fixture('poly/p11-group500-6.2.2-system-status.json'),
  'GET /rest/conferences': fixture('poly/p14-group500-6.2.2-conferences-incoming-ringing.json'),
};

/** The Group 500 idle: the same conferences capture with only its PENDING placeholder, no connection. */
export function group500Idle(): Record<string, string> {
  const confs = JSON.parse(GROUP_500['GET /rest/conferences']) as Array<Record<string, unknown>>;
  return { ...GROUP_500, 'GET /rest/conferences': JSON.stringify([{ ...confs[0], connections: [] }]) };
}
