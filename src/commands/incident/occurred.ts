/** "07:45" (today, local time) or a date-time → ISO 8601; undefined when it is neither. */
export function parseWhen(text: string, now: Date): string | undefined {
  const hm = /^(\d{1,2})[:h](\d{2})$/.exec(text.trim());
  if (hm) {
    const h = Number(hm[1]);
    const m = Number(hm[2]);
    if (h > 23 || m > 59) return undefined;
    const d = new Date(now.getTime());
    d.setHours(h, m, 0, 0);
    return d.toISOString();
  }
  // A date-time, with or without a zone (without one it is local time).
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim().replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
