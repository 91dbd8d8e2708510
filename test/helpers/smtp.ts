/**
 * SMTP peers for the e-mail channel's tests: the real aiosmtpd server
 * (Debian python3-aiosmtpd, run by the system's python3) with STARTTLS and a
 * self-signed certificate made by openssl, and small Node servers that
 * misbehave the ways real ones do: refuse, hang, drop the line mid-DATA.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './nut-server.js';
import { haveCapability, havePeer } from './peers.js';

/** A python3 that can import aiosmtpd (Debian's, not a pyenv one), or undefined. */
export function aiosmtpdPython(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import aiosmtpd.controller'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
}

/** True when aiosmtpd and openssl are there; otherwise skip, or fail under DIEMCAU_REQUIRE_PEERS=1. */
export function haveSmtpPeer(): boolean {
  if (!havePeer('openssl', 'Debian/Ubuntu: sudo apt install openssl')) return false;
  return haveCapability(
    'python3-aiosmtpd',
    aiosmtpdPython() !== undefined,
    'no python3 that imports aiosmtpd (Debian/Ubuntu: sudo apt install python3-aiosmtpd)',
  );
}

export interface ReceivedMail {
  mail_from: string;
  rcpt_tos: string[];
  subject: string;
  from: string;
  to: string;
  alert: string;
  text: string | null;
  html: string | null;
  charset: string | null;
  tls: boolean;
  authenticated: boolean;
}

export interface SmtpServer {
  port: number;
  /** PEM of the server's self-signed certificate (trust it with the channel's `ca`). */
  ca: string;
  mails: ReceivedMail[];
  /** Resolves once `n` mails have arrived. */
  waitFor(n: number, ms?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

export async function startAiosmtpd(user: string, password: string): Promise<SmtpServer> {
  const py = aiosmtpdPython();
  if (!py) throw new Error('aiosmtpd is not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-smtp-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    py,
    [path.join(import.meta.dirname, 'smtp-server.py'), String(port), cert, key, user, password],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const mails: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`aiosmtpd did not start: ${stderr}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`aiosmtpd exited ${code}: ${stderr}`)));
    child.stdout?.on('data', (d) => {
      buf += String(d);
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY') {
          clearTimeout(timer);
          resolve();
        } else if (line.startsWith('{')) {
          mails.push(JSON.parse(line) as ReceivedMail);
          for (const w of waiters.splice(0)) w();
        }
        nl = buf.indexOf('\n');
      }
    });
  });
  return {
    port,
    ca: fs.readFileSync(cert, 'utf8'),
    mails,
    async waitFor(n, ms = 5000) {
      const end = Date.now() + ms;
      while (mails.length < n) {
        if (Date.now() > end) throw new Error(`only ${mails.length} of ${n} mails arrived`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return mails;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Misbehaviour = 'refuse-connect-550' | 'hang' | 'drop-mid-data' | 'greylist';

/** A plain SMTP server (no TLS, no AUTH) that misbehaves at one step. */
export async function startBadSmtp(how: Misbehaviour): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    if (how === 'hang') return; // accepts, never greets
    if (how === 'refuse-connect-550') {
      s.end('554 5.7.1 no service for you\r\n');
      return;
    }
    s.write('220 bad.test ESMTP\r\n');
    let inData = false;
    let buf = '';
    s.on('data', (d) => {
      buf += String(d);
      if (inData) {
        // drop-mid-data: the body has started coming; cut the line before the final dot.
        s.destroy();
        return;
      }
      let nl = buf.indexOf('\r\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl).toUpperCase();
        buf = buf.slice(nl + 2);
        if (line.startsWith('EHLO')) s.write('250-bad.test\r\n250 8BITMIME\r\n');
        else if (line.startsWith('HELO')) s.write('250 bad.test\r\n');
        else if (line.startsWith('MAIL')) s.write('250 OK\r\n');
        else if (line.startsWith('RCPT'))
          s.write(how === 'greylist' ? '450 4.7.1 greylisted, try again later\r\n' : '250 OK\r\n');
        else if (line.startsWith('DATA')) {
          s.write('354 go ahead\r\n');
          inData = true;
          if (buf.length > 0) s.destroy();
          return;
        } else if (line.startsWith('RSET')) s.write('250 OK\r\n');
        else if (line.startsWith('QUIT')) s.end('221 bye\r\n');
        else s.write('502 5.5.2 not implemented\r\n');
        nl = buf.indexOf('\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
