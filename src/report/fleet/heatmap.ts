/**
 * The sites × days heatmap as inline SVG, kept lean for 10,000 sites: one
 * <g> per row (its offset), one <rect> per cell carrying only its x, a class
 * and a <title> tooltip; size and fill come from the page's CSS (SVG 2
 * geometry properties). Each state
 * has a colour *and* a pattern (solid, dots, stripes, cross-hatch, blank), so
 * readers who cannot tell red from green still can tell the cells apart.
 */
import type { Locale, Translator } from '../../i18n/index.js';
import { stateLabel } from './labels.js';
import type { DailyVerdicts, SiteState, Verdict } from './types.js';

export const CELL_CLASS: Record<Verdict | 'none', string> = {
  ready: 'r',
  degraded: 'd',
  'not-ready': 'n',
  unknown: 'u',
  none: 'o',
};

const CELL_W = 28;
const CELL_H = 12;
const PITCH_X = 32;
const PITCH_Y = 14;
const HEAD = 20;
/**
 * Rows per <svg>: a big fleet's heatmap is a stack of SVGs in boxes with
 * `content-visibility: auto`, so the browser lays out and paints only the
 * boxes on screen (10,000 sites open seconds faster). One province fits in one.
 */
export const CHUNK = 250;
const CHAR_W = 7;

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1/7" in Vietnamese (day/month), "1 Jul" in English: never the ambiguous 07/01. */
export function dayLabel(day: string, locale: Locale): string {
  const [, m, d] = day.split('-').map(Number) as [number, number, number];
  return locale === 'vi' ? `${d}/${m}` : `${d} ${MONTHS_EN[m - 1]}`;
}

/**
 * Pattern and colour definitions, once per page (a zero-size SVG), shared by
 * the heatmap and the legend's swatches. Ids are document-wide.
 */
export const SVG_DEFS =
  '<svg class="defs" width="0" height="0" aria-hidden="true"><defs>' +
  '<pattern id="p-d" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#e0a100"/><circle cx="2.5" cy="2.5" r="1.1" fill="#5c4400"/></pattern>' +
  '<pattern id="p-n" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#c62828"/><rect width="2" height="5" fill="#fff" fill-opacity=".55"/></pattern>' +
  '<pattern id="p-u" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#6a3d9a"/><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-opacity=".6" stroke-width="1"/></pattern>' +
  '<pattern id="p-s" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#8a8f98"/><rect y="2" width="6" height="2" fill="#fff" fill-opacity=".5"/></pattern>' +
  '</defs></svg>';

/** CSS for cells and swatches (part of the page's stylesheet). */
export const HEATMAP_CSS = `
.hm rect,.sw rect{width:${CELL_W}px;height:${CELL_H}px;rx:2px;stroke:#0000;stroke-width:1px}
.r{fill:#2e7d32}.d{fill:url(#p-d)}.n{fill:url(#p-n)}.u{fill:url(#p-u)}.o{fill:#fff;stroke:#b8bec6!important}.s{fill:url(#p-s)}
.hm{margin:0}.hm figcaption{color:#5b6570;margin:0 0 4px}
.hm-days{position:sticky;top:-6px;background:#fafbfc;display:block}
.hm-chunk{content-visibility:auto}
.hm svg{display:block}
.hm text{font:11px ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;fill:#222}
.hm .dh{text-anchor:middle;font-size:10px;fill:#555}
.hm rect:hover{stroke:#000!important;stroke-width:2px}
`;

/** Swatch class for a table/legend state (stale has its own pattern; "none" is a day without a run). */
export const SWATCH_CLASS: Record<SiteState | 'none', string> = { ...CELL_CLASS, stale: 's', never: 'o' };

export function swatch(state: SiteState | 'none'): string {
  return `<svg class="sw" width="${CELL_W}" height="${CELL_H}" aria-hidden="true"><rect class="${SWATCH_CLASS[state]}"/></svg>`;
}

/** A message template cut once at its {placeholders}, filled per cell without a regular expression. */
function compile(template: string): (values: Record<string, string>) => string {
  const pieces = esc(template).split(/\{(\w+)\}/);
  return (values) => {
    let out = '';
    for (let i = 0; i < pieces.length; i++) out += i % 2 ? (values[pieces[i] as string] ?? '') : pieces[i];
    return out;
  };
}

export interface HeatmapOptions {
  t: Translator;
  locale: Locale;
}

/** `rows` are in display order; every row has one verdict per day. Returns '' for an empty grid. */
export function heatmapSvg(daily: DailyVerdicts, opts: HeatmapOptions): string {
  const { days, sites } = daily;
  if (days.length === 0 || sites.length === 0) return '';
  const { t } = opts;
  let longest = 0;
  for (const s of sites) if (s.id.length > longest) longest = s.id.length;
  const labelW = Math.min(260, longest * CHAR_W + 12);
  const w = labelW + days.length * PITCH_X;
  const xs = days.map((_, i) => labelW + i * PITCH_X);
  // Tooltip words, worked out once, not 70,000 times.
  const words: Record<Verdict | 'none', string> = {
    ready: esc(stateLabel(t, 'ready')),
    degraded: esc(stateLabel(t, 'degraded')),
    'not-ready': esc(stateLabel(t, 'not-ready')),
    unknown: esc(stateLabel(t, 'unknown')),
    none: esc(stateLabel(t, null)),
  };
  const tooltip = compile(t('report.html.cell'));
  const title = esc(t('report.html.heatmap_label', { sites: sites.length, days: days.length }));
  const parts: string[] = [
    `<figure class="hm" aria-labelledby="hm-title"><figcaption id="hm-title">${title}</figcaption>`,
    `<svg class="hm-days" width="${w}" height="${HEAD}" aria-hidden="true"><g>`,
  ];
  for (let i = 0; i < days.length; i++) {
    parts.push(
      `<text class="dh" x="${(xs[i] as number) + CELL_W / 2}" y="14">${esc(dayLabel(days[i] as string, opts.locale))}</text>`,
    );
  }
  parts.push('</g></svg>');
  for (let first = 0; first < sites.length; first += CHUNK) {
    const n = Math.min(CHUNK, sites.length - first);
    const h = n * PITCH_Y;
    // Its exact height, so the page scrolls right while the browser skips drawing it.
    parts.push(
      `<div class="hm-chunk" style="contain-intrinsic-size:auto ${h}px"><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    );
    for (let r = 0; r < n; r++) {
      const site = sites[first + r] as DailyVerdicts['sites'][number];
      const id = esc(site.id);
      let row = `<g transform="translate(0 ${r * PITCH_Y})"><text y="10">${id}</text>`;
      for (let i = 0; i < days.length; i++) {
        const key = site.verdicts[i] ?? 'none';
        row += `<rect x="${xs[i]}" class="${CELL_CLASS[key]}"><title>${tooltip({ site: id, day: days[i] as string, state: words[key] })}</title></rect>`;
      }
      parts.push(`${row}</g>`);
    }
    parts.push('</svg></div>');
  }
  parts.push('</figure>');
  return parts.join('\n');
}
