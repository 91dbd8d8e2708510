/**
 * The CLI built to a private temp dir (type errors elsewhere in the tree do
 * not stop tsc from emitting), for tests that run `diemcau` as a child
 * process. A private build keeps these tests off the shared dist/ that other
 * work may be rebuilding at the same time.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface BuiltCli {
  bin: string;
  dir: string;
  remove(): void;
}

export function buildCli(): BuiltCli {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-build-'));
  try {
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        path.join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        path.join(dir, 'dist'),
      ],
      {
        stdio: 'pipe',
        timeout: 120_000,
      },
    );
  } catch (err) {
    // tsc exits non-zero on type errors but still emits; only a missing entry point is fatal.
    if (!fs.existsSync(path.join(dir, 'dist/cli/main.js'))) throw err;
  }
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'bin'));
  // The shipped shim loads the esbuild bundle; the plain tsc output has the same entry point.
  fs.writeFileSync(
    path.join(dir, 'bin/diemcau.js'),
    "import('../dist/cli/main.js').then((m) => m.main(process));\n",
  );
  return {
    bin: path.join(dir, 'bin/diemcau.js'),
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI to completion (bounded by a timeout). */
export function runBuilt(
  cli: BuiltCli,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawnBuilt(cli, args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function spawnBuilt(
  cli: BuiltCli,
  args: string[],
  opts: { cwd: string; env: Record<string, string> },
): ChildProcess {
  return spawn(process.execPath, [cli.bin, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.cwd, LANG: 'en_US.UTF-8', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
