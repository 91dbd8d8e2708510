/**
 * "Did you mean …?" for a mistyped flag, command, category, check id or kind:
 * the candidates closest to what was typed (optimal string alignment distance,
 * a swap of two letters counting one), when close enough to be a typo.
 */
import type { Translator } from '../i18n/index.js';

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const up = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest candidates to `word` (all those at the smallest distance), or none when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string[] {
  const bare = (s: string) => s.replace(/^-+/, '').toLowerCase();
  const w = bare(word);
  if (!w) return [];
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    const cb = bare(c);
    // A prefix is a typo too: `--onl` for `--only`, `readines` for `readiness`.
    const dist = cb.startsWith(w) && w.length >= 3 ? 1 : distance(w, cb);
    if (dist > Math.max(1, Math.floor(cb.length * 0.4))) continue;
    if (dist < best) {
      best = dist;
      found = [c];
    } else if (dist === best) found.push(c);
  }
  return found;
}

/** ` Did you mean X?` (with its leading space) in the reader's language, or '' when nothing is close. */
export function didYouMean(t: Translator, word: string, candidates: readonly string[]): string {
  const words = closest(word, candidates);
  return words.length ? ` ${t('cli.did_you_mean', { words: words.join(', ') })}` : '';
}
