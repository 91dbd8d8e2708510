/**
 * Which microphones and cameras this machine has, and how ffmpeg opens them:
 * PulseAudio (or PipeWire's pulse server) then ALSA on Linux, DirectShow on
 * Windows, AVFoundation on macOS; cameras on Linux are /dev/video* (named
 * from /sys/class/video4linux) and need no ffmpeg to be listed.
 */
import fs from 'node:fs/promises';
import { BASE_ARGS, runFfmpeg } from './ffmpeg.js';
import { type Device, parseAvfoundationDevices, parseDshowDevices, parseSources } from './ffmpeg-parse.js';

export interface AvInput extends Device {
  /** ffmpeg arguments that open this device ("-f", fmt, "-i", target). */
  args: string[];
  format: string;
}

export interface ListOptions {
  ffmpeg?: string;
  platform?: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** For tests: where /dev, /proc and /sys are. */
  root?: string;
}

const LIST_TIMEOUT_MS = 5000;

async function ffmpegList(opts: ListOptions, args: string[]): Promise<string> {
  if (!opts.ffmpeg) return '';
  const r = await runFfmpeg(opts.ffmpeg, [...BASE_ARGS, ...args], {
    timeoutMs: opts.timeoutMs ?? LIST_TIMEOUT_MS,
    env: opts.env,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return `${r.stdout}\n${r.stderr}`;
}

/** /proc/asound/pcm lines "00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1". */
export function parseAsoundPcm(text: string): Device[] {
  const out: Device[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)-(\d+): ([^:]*):.*capture \d+/.exec(line);
    if (m) out.push({ name: `hw:${Number(m[1])},${Number(m[2])}`, description: (m[3] as string).trim() });
  }
  return out;
}

export async function listMicrophones(opts: ListOptions): Promise<AvInput[]> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    return parseDshowDevices(await ffmpegList(opts, ['-list_devices', 'true', '-f', 'dshow', '-i', 'dummy']))
      .filter((d) => d.type === 'audio')
      .map((d) => ({ ...d, format: 'dshow', args: ['-f', 'dshow', '-i', `audio=${d.name}`] }));
  }
  if (platform === 'darwin') {
    return parseAvfoundationDevices(
      await ffmpegList(opts, ['-f', 'avfoundation', '-list_devices', 'true', '-i', '']),
    )
      .filter((d) => d.type === 'audio')
      .map((d) => ({ ...d, format: 'avfoundation', args: ['-f', 'avfoundation', '-i', `:${d.name}`] }));
  }
  // PulseAudio first: on a desktop it owns the sound cards, and ALSA's hw: devices are then busy.
  const pulse = parseSources(await ffmpegList(opts, ['-sources', 'pulse']));
  if (pulse.length > 0)
    return pulse.map((d) => ({ ...d, format: 'pulse', args: ['-f', 'pulse', '-i', d.name] }));
  let pcm = '';
  try {
    pcm = await fs.readFile(`${opts.root ?? ''}/proc/asound/pcm`, 'utf8');
  } catch {
    // no ALSA devices (or no /proc): none
  }
  return parseAsoundPcm(pcm).map((d) => ({ ...d, format: 'alsa', args: ['-f', 'alsa', '-i', d.name] }));
}

/** A PulseAudio monitor source records what the speakers play: not a microphone. */
export const isMonitor = (d: Device): boolean => d.name.endsWith('.monitor');

export async function listCameras(opts: ListOptions): Promise<AvInput[]> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    return parseDshowDevices(await ffmpegList(opts, ['-list_devices', 'true', '-f', 'dshow', '-i', 'dummy']))
      .filter((d) => d.type === 'video')
      .map((d) => ({ ...d, format: 'dshow', args: ['-f', 'dshow', '-i', `video=${d.name}`] }));
  }
  if (platform === 'darwin') {
    return parseAvfoundationDevices(
      await ffmpegList(opts, ['-f', 'avfoundation', '-list_devices', 'true', '-i', '']),
    )
      .filter((d) => d.type === 'video')
      .map((d) => ({
        ...d,
        format: 'avfoundation',
        args: ['-f', 'avfoundation', '-framerate', '30', '-i', `${d.name}:none`],
      }));
  }
  const root = opts.root ?? '';
  let names: string[] = [];
  try {
    names = (await fs.readdir(`${root}/dev`)).filter((n) => /^video\d+$/.test(n));
  } catch {
    // no /dev
  }
  names.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const out: AvInput[] = [];
  for (const n of names) {
    let description: string | undefined;
    try {
      description = (await fs.readFile(`${root}/sys/class/video4linux/${n}/name`, 'utf8')).trim();
    } catch {
      // no name: fine
    }
    const dev = `/dev/${n}`;
    out.push({
      name: dev,
      ...(description ? { description } : {}),
      format: 'v4l2',
      args: ['-f', 'v4l2', '-i', dev],
    });
  }
  return out;
}

/** The device named in the profile (by name, or a part of its description), or the default one. */
export function pickDevice<T extends Device>(
  devices: readonly T[],
  wanted: string | undefined,
  usable: (d: T) => boolean = () => true,
): T | undefined {
  if (wanted) {
    const w = wanted.toLowerCase();
    return (
      devices.find((d) => d.name === wanted) ??
      devices.find((d) => d.name.toLowerCase() === w || d.description?.toLowerCase() === w) ??
      devices.find((d) => d.description?.toLowerCase().includes(w))
    );
  }
  return devices.find((d) => d.isDefault && usable(d)) ?? devices.find(usable);
}
