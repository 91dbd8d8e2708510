/** Metric names carry their unit (rtt_ms, loss_pct, down_mbps...): helpers to show and convert them. */

const UNITS: Array<[suffix: string, display: string]> = [
  ['_ms', 'ms'],
  ['_pct', '%'],
  ['_mbps', 'Mbps'],
  ['_kbps', 'kbps'],
  ['_dbfs', 'dBFS'],
  ['_s', 's'],
  ['_v', 'V'],
  ['_bytes', 'B'],
];

export function splitMetric(name: string): { base: string; unit: string } {
  for (const [suffix, display] of UNITS)
    if (name.endsWith(suffix)) return { base: name.slice(0, -suffix.length), unit: display };
  return { base: name, unit: '' };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  const text = value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** "rtt 12.3 ms" */
export function formatMetric(name: string, value: number): string {
  const { base, unit } = splitMetric(name);
  return unit
    ? `${base} ${formatNumber(value)} ${unit}`.replace(' %', '%')
    : `${base} ${formatNumber(value)}`;
}

/** Monitoring Plugins UOM and the value in it. */
export function nagiosUom(name: string): string {
  if (name.endsWith('_ms')) return 'ms';
  if (name.endsWith('_pct')) return '%';
  if (name.endsWith('_s')) return 's';
  if (name.endsWith('_bytes')) return 'B';
  return '';
}

/** Prometheus base units: seconds, ratios, bytes per second (not bits: the base unit is the byte), volts. */
export function prometheusMetric(name: string, value: number): { name: string; value: number } {
  const rules: Array<[string, string, number]> = [
    ['_ms', '_seconds', 1e-3],
    ['_pct', '_ratio', 1e-2],
    ['_mbps', '_bytes_per_second', 1e6 / 8],
    ['_kbps', '_bytes_per_second', 1e3 / 8],
    ['_s', '_seconds', 1],
    ['_v', '_volts', 1],
  ];
  for (const [suffix, to, factor] of rules) {
    if (name.endsWith(suffix)) return { name: name.slice(0, -suffix.length) + to, value: value * factor };
  }
  return { name, value };
}
