/**
 * Debian's chromium, headless, for tests of the HTML reports: the rendered
 * DOM (--dump-dom) and a screenshot of a local file. No network: the page is
 * a file:// URL and background networking, component updates, sync and QUIC
 * are off. Each run gets a fresh profile directory, removed afterwards; each
 * run is bounded in time and its whole process group is killed on timeout
 * (and by killChromiums() in afterAll, for runs a failing test left behind).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { havePeer, which } from './peers.js';

export const CHROMIUM_HINT = 'apt install chromium';

export function haveChromium(): boolean {
  return havePeer('chromium', CHROMIUM_HINT);
}

const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--hide-scrollbars',
  '--mute-audio',
];

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Kill every chromium this helper started that is still running (afterAll). */
export function killChromiums(): void {
  for (const child of live) killGroup(child);
  live.clear();
}

export interface ChromiumRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run chromium on a local file with extra flags; rejects on timeout or a non-zero exit. */
export async function runChromium(file: string, flags: string[], timeoutMs = 30_000): Promise<ChromiumRun> {
  const binary = which('chromium');
  if (!binary) throw new Error(`chromium not found (${CHROMIUM_HINT})`);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'diemcau-chromium-'));
  const url = pathToFileURL(path.resolve(file)).href;
  try {
    return await new Promise<ChromiumRun>((resolve, reject) => {
      // Its own process group, so a timeout takes the renderer and zygote children with it.
      const child = spawn(binary, [...BASE_FLAGS, `--user-data-dir=${profile}`, ...flags, url], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: profile },
      });
      live.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.stderr?.on('data', (b: Buffer) => err.push(b));
      let timedOut = false;
      // On timeout, kill and let 'close' report it, so the profile is removed only once chromium is gone.
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        live.delete(child);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        live.delete(child);
        killGroup(child); // stragglers of the group, if any
        const result = {
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          code,
        };
        if (timedOut)
          reject(new Error(`chromium did not finish within ${timeoutMs} ms: ${result.stderr.slice(-2000)}`));
        else if (code !== 0) reject(new Error(`chromium exited with ${code}: ${result.stderr.slice(-2000)}`));
        else resolve(result);
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** The DOM after chromium parsed and loaded the page, serialised. */
export async function dumpDom(file: string, timeoutMs?: number): Promise<string> {
  return (await runChromium(file, ['--dump-dom'], timeoutMs)).stdout;
}

/** A PNG screenshot of the page's first `height` pixels at `width`. */
export async function screenshot(
  file: string,
  png: string,
  size = { width: 1280, height: 2000 },
  timeoutMs?: number,
): Promise<void> {
  await runChromium(
    file,
    [`--screenshot=${path.resolve(png)}`, `--window-size=${size.width},${size.height}`],
    timeoutMs,
  );
}

// ---- PNG reading (enough for chromium's 8-bit RGB/RGBA screenshots) ---------

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA, 4 bytes per pixel, row after row. */
  rgba?: Buffer;
}

/** Width and height from IHDR; with `pixels`, the decoded image too (8-bit RGB or RGBA, not interlaced). */
export async function readPng(file: string, pixels = false): Promise<Png> {
  const buf = await readFile(file);
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error(`${file} is not a PNG`);
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file}: first chunk is not IHDR`);
  const png: Png = {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24] as number,
    colorType: buf[25] as number,
  };
  if (!pixels) return png;
  if (png.bitDepth !== 8 || (png.colorType !== 2 && png.colorType !== 6) || buf[28] !== 0) {
    throw new Error(
      `unsupported PNG: depth ${png.bitDepth}, colour type ${png.colorType}, interlace ${buf[28]}`,
    );
  }
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    if (type === 'IEND') break;
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = png.colorType === 6 ? 4 : 3;
  const stride = png.width * bpp;
  const cur = Buffer.alloc(stride);
  const prev = Buffer.alloc(stride);
  const rgba = Buffer.alloc(png.width * png.height * 4);
  for (let y = 0; y < png.height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (cur[x - bpp] as number) : 0;
      const b = prev[x] as number;
      const c = x >= bpp ? (prev[x - bpp] as number) : 0;
      let v = line[x] as number;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 0xff;
    }
    for (let x = 0; x < png.width; x++) {
      rgba[(y * png.width + x) * 4] = cur[x * bpp] as number;
      rgba[(y * png.width + x) * 4 + 1] = cur[x * bpp + 1] as number;
      rgba[(y * png.width + x) * 4 + 2] = cur[x * bpp + 2] as number;
      rgba[(y * png.width + x) * 4 + 3] = bpp === 4 ? (cur[x * bpp + 3] as number) : 255;
    }
    cur.copy(prev);
  }
  png.rgba = rgba;
  return png;
}

/** How many pixels have exactly this colour. */
export function countColour(png: Png, rgb: [number, number, number]): number {
  const px = png.rgba;
  if (!px) throw new Error('decode the PNG with readPng(file, true) first');
  let n = 0;
  for (let i = 0; i < px.length; i += 4)
    if (px[i] === rgb[0] && px[i + 1] === rgb[1] && px[i + 2] === rgb[2]) n += 1;
  return n;
}
