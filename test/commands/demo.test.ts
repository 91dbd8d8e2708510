/**
 * `diemcau demo` end to end, as a child process of the built binary, bounded
 * in time: on this machine, on a "fresh" machine (a PATH with nothing but
 * node: no ping, no ffmpeg), and with --keep stopped by Ctrl-C.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../bin/diemcau.js');

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function demo(
  args: string[],
  env: Record<string, string | undefined>,
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'demo', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describe('diemcau demo', () => {
  it('runs the whole tool on loopback, in Vietnamese, and cleans up', async () => {
    const r = await demo([], { LANG: 'vi_VN.UTF-8' });
    expect(r.stderr).toContain('Đã dừng mọi dịch vụ và xoá');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('demo-xa-mau\t'));
    const byId = Object.fromEntries(rows.map((l) => l.split('\t')).map((c) => [c[1], c[3]]));
    expect(byId).toMatchObject({
      'mcu-sip': 'pass',
      codec: 'pass',
      'codec-reg': 'pass',
      av: 'pass',
      'vc-network': 'pass',
      bandwidth: 'pass',
      'test-call': 'pass',
      ups: 'skip',
      '-': 'ready',
    });
    expect(r.stdout).toContain('đã báo cáo sự cố số 1 của demo-xa-mau: Chập chờn / đứng hình');
    expect(r.stdout).toMatch(/^ready\tdemo-xa-mau\tUBND xã Mẫu \(chạy thử\)\tdemo\/xa-mau\t/m);
    // The meeting in 65 minutes: booked, the site's next meeting (T−60 in about 5 minutes), its readiness, the .ics.
    expect(r.stdout).toContain('Cuộc họp chạy thử (đột xuất)');
    expect(r.stdout).toMatch(/Còn [56] phút đến T−60/);
    expect(r.stdout).toContain('Tình trạng sẵn sàng cuộc họp số 1: Cuộc họp chạy thử (đột xuất)');
    expect(r.stderr).toMatch(/Đã ghi 1 cuộc họp vào .*demo-xa-mau\.ics/);
    const dir = /xoá (\S+)\./.exec(r.stderr)?.[1] as string;
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('works with nothing but node on the PATH: what needs ping or ffmpeg is skipped with the reason', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-fresh-'));
    fs.symlinkSync(process.execPath, path.join(fresh, 'node'));
    try {
      const r = await demo(['--lang', 'en'], { PATH: fresh });
      expect(r.code).toBe(0);
      const rows = Object.fromEntries(
        r.stdout
          .split('\n')
          .filter((l) => l.startsWith('demo-xa-mau\t'))
          .map((l) => l.split('\t'))
          .map((c) => [c[1], [c[3], c[4]]]),
      );
      expect(rows['mcu-ping']).toEqual([
        'skip',
        'skipped: the ping program is not installed here (Debian/Ubuntu: sudo apt install iputils-ping)',
      ]);
      expect(rows.mic?.[0]).toBe('skip');
      expect(rows.mic?.[1]).toMatch(/^skipped: ffmpeg is not installed here \(.*apt install ffmpeg.*\)$/);
      expect(rows.cam?.[0]).toBe('skip');
      expect(rows['test-call']?.[0]).toBe('pass');
      expect(rows['-']?.[0]).toBe('ready');
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('--keep leaves the services up, never prints the secrets, and Ctrl-C stops everything', async () => {
    let registryPort = 0;
    let sent = false;
    const r = await demo(['--keep', '--lang', 'en'], {}, (stdout, child) => {
      const m = /registry +http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) registryPort = Number(m[1]);
      if (!sent && stdout.includes('Try, in another terminal:') && stdout.includes('report readiness')) {
        sent = true;
        // Still up while the demo waits.
        portOpen(registryPort).then((open) => {
          expect(open).toBe(true);
          child.kill('SIGINT');
        });
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Stopped everything and removed');
    const envFile = /\. (\S+demo\.env)/.exec(r.stdout)?.[1] as string;
    expect(envFile).toMatch(/diemcau-demo-[^/]+\/demo\.env$/);
    expect(r.stdout).not.toMatch(/dct_[A-Za-z0-9_-]{10,}/);
    expect(await portOpen(registryPort)).toBe(false);
  });
});
