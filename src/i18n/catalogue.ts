/**
 * One language's messages, merged from the areas. The built binary replaces
 * this module with catalogue-bundled.ts, which reads the same messages from a
 * JSON file per language written at build time (scripts/bundle.mjs).
 */
import { areas } from './areas.js';

export function catalogue(locale: 'vi' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const area of areas) Object.assign(out, area[locale]);
  return out;
}
