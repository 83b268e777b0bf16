/**
 * For the commands that need every server of the exchange stopped (`sauda keys rotate-mac`, `sauda user create`):
 * holds the journal so that no server runs beside them or starts meanwhile, or refuses at once while one runs. On
 * SQLite any server, leader or standby, is seen (journal/sqlite-serving.ts); on PostgreSQL the node that leads is
 * (journal/leadership.ts `holdLeadershipForCommand`). Without it, `keys rotate-mac` under a running server left a
 * journal that no longer passed its check, and `user create` failed with an invariant of the hash chain.
 */

import { holdLeadershipForCommand } from "../journal/leadership.ts";
import { holdWithServersStopped, JournalInUseError } from "../journal/sqlite-serving.ts";
import { sqliteFile } from "../journal/sqlite-store.ts";

export interface JournalOptions {
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
}

/** Runs `work` with the journal held as above; `refused` makes the command's own error from the reason. */
export async function withServersStopped<T>(
  options: JournalOptions,
  command: string,
  refused: (message: string) => Error,
  work: () => Promise<T>,
): Promise<T> {
  let release: () => unknown;
  try {
    if (options.database) {
      const held = await holdLeadershipForCommand(options.database, options.schema, command);
      release = () => held.release();
    } else {
      const held = holdWithServersStopped(sqliteFile(options.data), command);
      release = () => held.release();
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof JournalInUseError || code === "SAUDA_SERVER_RUNNING") throw refused((error as Error).message);
    throw error;
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
