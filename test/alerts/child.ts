/** `registry serve` as a child process of the built CLI, with the test webhook kind (serve-child.mjs). */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import type { BuiltCli } from '../registry/built.js';

export interface Node {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

const CHILD = path.join(__dirname, 'serve-child.mjs');

export async function serveWithHook(
  cli: BuiltCli,
  dir: string,
  args: string[],
  env: Record<string, string>,
): Promise<Node> {
  const child = spawn(
    process.execPath,
    [CHILD, path.join(cli.dir, 'dist'), 'registry', 'serve', '--port', '0', ...args],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'en_US.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  for (let i = 0; i < 400 && !/listening on (\S+)/.test(stderr); i++) {
    if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /listening on (\S+)/.exec(stderr);
  if (!m) throw new Error(`registry did not start: ${stderr}`);
  return { url: m[1] as string, child, stderr: () => stderr };
}

export function alertsFile(dir: string, hookUrl: string): string {
  const file = path.join(dir, 'alerts.yaml');
  fs.writeFileSync(
    file,
    [
      'channels:',
      '  - id: hook',
      '    kind: webhook',
      `    url: ${hookUrl}`,
      '    secret: ${HOOK_SECRET}',
      'rules:',
      '  - id: down',
      '    event: site-not-ready',
      '    channels: [hook]',
      '',
    ].join('\n'),
  );
  return file;
}

export async function post(
  url: string,
  token: string,
  pathname: string,
  body: unknown,
  key: string,
): Promise<number> {
  const res = await request(url + pathname, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  await res.body.dump();
  return res.statusCode;
}

export const killed = (n: Node) =>
  new Promise<void>((resolve) => {
    if (n.child.exitCode !== null || n.child.signalCode !== null) return resolve();
    n.child.once('exit', () => resolve());
    n.child.kill('SIGKILL');
  });
