/**
 * The frame every HTML report shares: the document head with its inline CSS
 * and Content-Security-Policy, the title block, the footer (see ./html.ts).
 */
import { esc, HEATMAP_CSS, SVG_DEFS } from './heatmap.js';
import { zoneClock } from './time.js';
import type { FleetRenderOptions } from './types.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0 auto;max-width:1280px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;color:#1d2329;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
.meta,.note{color:#5b6570;margin:2px 0}
.counts{display:flex;flex-wrap:wrap;gap:10px;list-style:none;padding:0;margin:12px 0}
.counts li{border:1px solid #dde1e6;border-left-width:8px;border-radius:6px;padding:6px 14px;min-width:150px}
.counts .n{display:block;font-size:26px;font-weight:700;font-variant-numeric:tabular-nums}
.counts .all{border-left-color:#1d2329}.counts .ready{border-left-color:#2e7d32}.counts .degraded{border-left-color:#e0a100}
.counts .not-ready{border-left-color:#c62828}.counts .unknown{border-left-color:#6a3d9a}.counts .stale{border-left-color:#8a8f98}.counts .never{border-left-color:#b8bec6}
.scroll{max-height:70vh;overflow:auto;border:1px solid #dde1e6;border-radius:6px;padding:6px;background:#fafbfc}
#sites .scroll,#incidents .scroll{content-visibility:auto;contain-intrinsic-size:auto 70vh}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eceff2;vertical-align:top}
th{background:#f3f5f7;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.st{white-space:nowrap;font-weight:600}
.st-ready{color:#1b5e20}.st-degraded{color:#7a5600}.st-not-ready{color:#b71c1c}.st-unknown{color:#4a2a72}.st-stale{color:#555}.st-never{color:#555}.num{text-align:right}
#incidents-table td:last-child{white-space:pre-line}
.bar{display:inline-block;height:10px;background:#5b7fa6;border-radius:2px;vertical-align:middle}
.legend{list-style:none;padding:0}.legend li{display:flex;gap:10px;align-items:center;margin:5px 0}
.defs{position:absolute}
footer{margin-top:32px;color:#5b6570;font-size:12px}
@media print{.scroll{max-height:none;overflow:visible;border:0}th{position:static}}
${HEATMAP_CSS}`;

export function page(opts: FleetRenderOptions, title: string, body: string[]): string {
  return [
    '<!doctype html>',
    `<html lang="${opts.locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="diemcau">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    SVG_DEFS,
    ...body,
    `<footer>${esc(opts.t('report.html.footer'))}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function heading(
  opts: FleetRenderOptions,
  title: string,
  parts: string[],
  generatedAt: string,
): string[] {
  const clock = zoneClock(opts.timeZone);
  const generated = opts.t('report.generated', {
    time: `<time datetime="${esc(generatedAt)}">${esc(clock.local(generatedAt))}</time>`,
    zone: esc(clock.offsetLabel(Date.parse(generatedAt))),
  });
  return [
    `<header><h1>${esc(title)}</h1>`,
    `<p class="meta">${[...parts.map(esc), generated].join(' · ')}</p></header>`,
  ];
}
