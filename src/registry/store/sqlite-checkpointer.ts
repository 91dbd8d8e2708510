/**
 * The SQLite checkpointer: a thread with its own connection to the registry's
 * file that copies the WAL back into the database (a PASSIVE checkpoint, which
 * never holds the writer's lock) when the store asks, so the copy and its
 * fsync are off the registry's event loop (docs/operations.md, SQLite).
 * Messages: 'checkpoint' (answered 'done' or 'failed'), 'close' (the thread
 * closes its connection and exits).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (port) {
  const db = new Database(workerData.file as string);
  db.pragma('busy_timeout = 1000');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  port.on('message', (m: string) => {
    if (m === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      checkpoint.run();
      port.postMessage('done');
    } catch {
      port.postMessage('failed');
    }
  });
}
