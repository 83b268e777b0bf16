/**
 * `sauda verify --data DIR` or `--database URL`: rebuilds the exchange state from the journal, checking every record's
 * place in the hash chain, that replaying each command reproduces its stored events, and every stored snapshot's state
 * hash. Prints a summary; on the first problem, names the bad record and fails.
 */

import { openStore } from "../journal/open.ts";
import { JournalCorruptError, verify } from "../journal/recovery.ts";

export interface VerifyOptions {
  readonly data?: string;
  readonly database?: string;
  readonly schema?: string;
}

/** Returns the process exit code: 0 when the journal checks out, 1 when it does not. */
export async function verifyCommand(options: VerifyOptions, write: (line: string) => void): Promise<number> {
  const store = await openStore(options);
  const started = performance.now();
  try {
    const report = await verify(store);
    const seconds = (performance.now() - started) / 1000;
    write(
      `journal ${store.kind} ${store.location}: OK — ${report.records} records, ${report.snapshotsChecked} snapshots checked, ` +
        `head ${report.head?.seq ?? 0}, state hash ${report.stateHash} (${seconds.toFixed(2)} s)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof JournalCorruptError) {
      write(`journal ${store.kind} ${store.location}: BAD — ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}
