/**
 * Readers of ffmpeg's log output (stderr, `-hide_banner -nostats`): the
 * astats / volumedetect audio levels, showinfo frames, blackdetect and
 * freezedetect events, and device lists (`-sources`, dshow, avfoundation).
 * Numbers are parsed, words are not translated: ffmpeg's log is English in
 * every locale. Fixtures: test/fixtures/ffmpeg/ (real output, ffmpeg 5.1).
 */

const num = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  if (s === '-inf') return Number.NEGATIVE_INFINITY;
  if (s === 'inf') return Number.POSITIVE_INFINITY;
  const n = Number.parseFloat(s);
  return Number.isNaN(n) ? undefined : n;
};

export interface AudioLevels {
  /** RMS level, dBFS (−Infinity for digital silence). */
  rmsDb: number;
  peakDb: number;
  /** Samples (all channels) that reached the peak level; astats only. */
  peakCount?: number;
  /** Samples per channel; astats only. */
  samples?: number;
  source: 'astats' | 'volumedetect';
}

/** astats with measure_perchannel=none: the "Overall" block. */
export function parseAstats(log: string): AudioLevels | undefined {
  const field = (name: string) =>
    num(new RegExp(`\\[Parsed_astats_\\d+ @ [^\\]]+\\] ${name}: (\\S+)`).exec(log)?.[1]);
  const rmsDb = field('RMS level dB');
  const peakDb = field('Peak level dB');
  if (rmsDb === undefined || peakDb === undefined) return undefined;
  const peakCount = field('Peak count');
  const samples = field('Number of samples');
  return {
    rmsDb,
    peakDb,
    ...(peakCount === undefined ? {} : { peakCount }),
    ...(samples === undefined ? {} : { samples }),
    source: 'astats',
  };
}

/** volumedetect: mean_volume / max_volume (rounded to 0.1 dB by ffmpeg). */
export function parseVolumedetect(log: string): AudioLevels | undefined {
  const mean = num(/\[Parsed_volumedetect_\d+ @ [^\]]+\] mean_volume: (\S+) dB/.exec(log)?.[1]);
  const max = num(/\[Parsed_volumedetect_\d+ @ [^\]]+\] max_volume: (\S+) dB/.exec(log)?.[1]);
  if (mean === undefined || max === undefined) return undefined;
  const n = num(/\[Parsed_volumedetect_\d+ @ [^\]]+\] n_samples: (\d+)/.exec(log)?.[1]);
  return { rmsDb: mean, peakDb: max, ...(n === undefined ? {} : { samples: n }), source: 'volumedetect' };
}

export interface StreamInfo {
  kind: 'audio' | 'video';
  width?: number;
  height?: number;
  fps?: number;
  sampleRate?: number;
  channels?: number;
}

const CHANNELS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  '2.1': 3,
  quad: 4,
  '5.0': 5,
  '5.1': 6,
  '7.1': 8,
};

/** The first input stream ("Input #0" ... "Stream #0:0: Video: ..."). */
export function parseInputStream(log: string): StreamInfo | undefined {
  const inputAt = log.indexOf('Input #0');
  const text = inputAt >= 0 ? log.slice(inputAt) : log;
  const m = /Stream #0:\d+[^:]*: (Video|Audio): ([^\n]*)/.exec(text);
  if (!m) return undefined;
  const rest = m[2] as string;
  if (m[1] === 'Video') {
    const size = /(?:^|[\s,])(\d{2,5})x(\d{2,5})(?=[\s,[]|$)/.exec(rest);
    const fps = /([\d.]+) fps/.exec(rest) ?? /([\d.]+) tbr/.exec(rest);
    return {
      kind: 'video',
      ...(size ? { width: Number(size[1]), height: Number(size[2]) } : {}),
      ...(fps ? { fps: Number(fps[1]) } : {}),
    };
  }
  const rate = /(\d+) Hz/.exec(rest);
  const layout = /Hz, ([^,]+),/.exec(rest)?.[1]?.trim();
  const channels =
    layout === undefined ? undefined : (CHANNELS[layout] ?? num(/^(\d+) channels/.exec(layout)?.[1]));
  return {
    kind: 'audio',
    ...(rate ? { sampleRate: Number(rate[1]) } : {}),
    ...(channels === undefined ? {} : { channels }),
  };
}

export interface FrameSummary {
  frames: number;
  firstPts?: number;
  lastPts?: number;
  width?: number;
  height?: number;
}

/** showinfo: one "n: ... pts_time:... s:WxH" line per frame. */
export function parseShowinfo(log: string): FrameSummary {
  const re =
    /\[Parsed_showinfo_\d+ @ [^\]]+\] n:\s*\d+ pts:\s*-?\d+ pts_time:(-?[\d.e+-]+)\s.*? s:(\d+)x(\d+)/g;
  const out: FrameSummary = { frames: 0 };
  for (const m of log.matchAll(re)) {
    const pts = Number(m[1]);
    out.frames += 1;
    if (out.firstPts === undefined) out.firstPts = pts;
    out.lastPts = pts;
    out.width = Number(m[2]);
    out.height = Number(m[3]);
  }
  return out;
}

export interface Interval {
  start: number;
  /** Missing when the event lasted to the end of the grab (ffmpeg then prints no end). */
  end?: number;
}

/** blackdetect: "black_start:0 black_end:2.96 black_duration:2.96". */
export function parseBlackdetect(log: string): Interval[] {
  const out: Interval[] = [];
  for (const m of log.matchAll(/black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)/g)) {
    out.push({ start: Number(m[1]), end: Number(m[2]) });
  }
  return out;
}

/** freezedetect: "lavfi.freezedetect.freeze_start: 0" ... "freeze_end: 2"; a freeze to the end has no end. */
export function parseFreezedetect(log: string): Interval[] {
  const out: Interval[] = [];
  for (const m of log.matchAll(/lavfi\.freezedetect\.freeze_(start|end): ([\d.]+)/g)) {
    const v = Number(m[2]);
    if (m[1] === 'start') out.push({ start: v });
    else {
      const open = out.findLast((i) => i.end === undefined);
      if (open) open.end = v;
    }
  }
  return out;
}

/** Total length of the intervals inside [from, to]; an open interval runs to `to`. */
export function coveredSeconds(intervals: readonly Interval[], from: number, to: number): number {
  let total = 0;
  for (const i of intervals) total += Math.max(0, Math.min(i.end ?? to, to) - Math.max(from, i.start));
  return total;
}

export interface Device {
  name: string;
  description?: string;
  /** Marked as the system default (ffmpeg -sources prints "*"). */
  isDefault?: boolean;
  type?: 'audio' | 'video';
}

/** `ffmpeg -sources <fmt>`: "* name [description] (media)" lines after the header. */
export function parseSources(text: string): Device[] {
  const out: Device[] = [];
  for (const line of text.split('\n')) {
    const m = /^([* ]) (\S+) \[(.*)\](?: \(([^)]*)\))?\s*$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    out.push({ name: m[2] as string, description: m[3] as string, isDefault: m[1] === '*' });
  }
  return out;
}

/**
 * `ffmpeg -list_devices true -f dshow -i dummy` (Windows). ffmpeg 4.4+ prints
 * `"Name" (video)` / `"Name" (audio)`; older builds print a "DirectShow video
 * devices" header before the names. "Alternative name" lines are skipped.
 */
export function parseDshowDevices(log: string): Device[] {
  const out: Device[] = [];
  let section: 'audio' | 'video' | undefined;
  for (const line of log.split('\n')) {
    if (/DirectShow video devices/.test(line)) section = 'video';
    else if (/DirectShow audio devices/.test(line)) section = 'audio';
    if (/Alternative name/.test(line)) continue;
    const m = /\] +"([^"]+)"(?: \((video|audio|none)\))?/.exec(line);
    if (!m) continue;
    const type = (m[2] as 'video' | 'audio' | 'none' | undefined) ?? section;
    if (type === 'video' || type === 'audio') out.push({ name: m[1] as string, type });
  }
  return out;
}

/** `ffmpeg -f avfoundation -list_devices true -i ""` (macOS): "[0] FaceTime HD Camera" under a video or audio header. */
export function parseAvfoundationDevices(log: string): Device[] {
  const out: Device[] = [];
  let section: 'audio' | 'video' | undefined;
  for (const line of log.split('\n')) {
    if (/AVFoundation video devices/.test(line)) section = 'video';
    else if (/AVFoundation audio devices/.test(line)) section = 'audio';
    const m = /\] \[(\d+)\] (.+?)\s*$/.exec(line);
    if (m && section) out.push({ name: m[1] as string, description: m[2] as string, type: section });
  }
  return out;
}

/** The most useful error line of a failed run (ffmpeg ends with "<input>: <reason>"). */
export function ffmpegErrorLine(log: string): string {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(frame=|size=|video:|Press \[q\])/.test(l));
  return (lines.at(-1) ?? '').slice(0, 300);
}
