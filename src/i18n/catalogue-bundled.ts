/**
 * The built binary's catalogue (see catalogue.ts): one language's messages
 * from messages.<locale>.json beside the bundle, so a run parses only the
 * language it speaks, and as JSON, which is faster to load than code.
 */
import { readFileSync } from 'node:fs';

export function catalogue(locale: 'vi' | 'en'): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`./messages.${locale}.json`, import.meta.url), 'utf8')) as Record<
    string,
    string
  >;
}
