/** Ping output fixtures: test/fixtures/ping/*.txt, a `# ...` header (source, command, exit status) then the output. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ping');

export interface PingFixture {
  /** The output as ping printed it (line ends kept). */
  text: string;
  exit: number;
}

export function pingFixture(name: string): PingFixture {
  const raw = readFileSync(path.join(dir, name), 'utf8');
  const header = /^(?:#[^\n]*\n)+/.exec(raw)?.[0] ?? '';
  const exit = /^# exit: (\d+)/m.exec(header);
  if (!exit) throw new Error(`${name}: no "# exit: N" line in its header`);
  return { text: raw.slice(header.length), exit: Number(exit[1]) };
}
