/**
 * A real pseudo-terminal (util-linux `script`, 80 columns) around the built
 * binary: the same path a technician's keystrokes take. Each answer is typed
 * once its question shows, as a person would; the list is finite and the
 * child is killed after `limitMs`.
 */
import path from 'node:path';

export async function walk(
  dir: string,
  env: Record<string, string>,
  script: Array<[string, string]>,
  limitMs: number,
  args = 'profile init',
): Promise<{ out: string; step: number; code: number | null }> {
  const { spawn } = await import('node:child_process');
  const bin = path.resolve(import.meta.dirname, '../../bin/diemcau.js');
  const child = spawn(
    'script',
    ['-qfec', `stty cols 80 rows 40; ${process.execPath} ${bin} ${args}`, '/dev/null'],
    { cwd: dir, env: { ...process.env, LANG: 'vi_VN.UTF-8', NO_COLOR: '1', CI: '', ...env } },
  );
  let out = '';
  let step = 0;
  let seen = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const next = script[step];
    if (next && out.indexOf(next[0], seen) >= 0) {
      seen = out.indexOf(next[0], seen) + next[0].length;
      step += 1;
      setTimeout(() => child.stdin.write(next[1]), 50);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return { out, step, code };
}
