/** What a running simulated codec offers its owner (tests, demo, `diemcau sim`), whichever vendor it plays. */
import type { CallBook } from './calls.js';
import type { CodecSim } from './cisco.js';
import type { Listening } from './http.js';
import type { CodecScenario } from './scenario.js';

export function codecSimHandle(
  server: Listening,
  state: {
    sessions: { readonly size: number; clear(): void };
    begun: () => number;
    peak: () => number;
    book: CallBook;
    update: (next: CodecScenario) => void;
  },
): CodecSim {
  return {
    url: server.url,
    port: server.port,
    host: server.host,
    sessions: () => state.sessions.size,
    sessionsBegun: state.begun,
    sessionsPeak: state.peak,
    calls: () => state.book.list(),
    update: state.update,
    expireSessions() {
      state.sessions.clear();
    },
    async close() {
      await state.book.close();
      await server.close();
    },
  };
}
