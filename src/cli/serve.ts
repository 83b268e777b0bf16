/**
 * `sauda serve` (and `npm start`): runs the exchange server. It opens the journal (SQLite under --data, or PostgreSQL
 * by --database), recovers, serves the API and the web application, runs the session scheduler, and — unless
 * --no-demo — creates the demo market on first start and runs the policy lab's agents in it as its members.
 *
 * SIGTERM or SIGINT: stop taking requests, let requests in flight finish, write the batch in flight and a snapshot,
 * close the journal, exit 0. If the journal cannot be written, the process stops at once (exit 70): it must not run
 * ahead of what is durable.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startDemo } from "../gateway/demo/bootstrap.ts";
import { Exchange } from "../gateway/exchange.ts";
import { FixGateway } from "../gateway/fix/gateway.ts";
import { FIX_STORE_FILE_NAME } from "../gateway/fix/store.ts";
import { Scheduler } from "../gateway/scheduler.ts";
import { buildServer } from "../gateway/server.ts";
import { PostgresUserStore, SqliteUserStore, type UserStore } from "../gateway/users.ts";
import { DEFAULT_DATA_DIR } from "../journal/open.ts";

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
  readonly demo: boolean;
  /** Open a FIX 4.4 acceptor on this port (docs/fix.md); none when absent. */
  readonly fixPort?: number;
  /** PEM certificate chain and key files: the FIX acceptor speaks TLS. */
  readonly fixTlsCert?: string;
  readonly fixTlsKey?: string;
}

export const EXIT_JOURNAL_FAILED = 70;

export async function serve(options: ServeOptions, log: (line: string) => void): Promise<() => Promise<void>> {
  const location = options.database ? { database: options.database, schema: options.schema } : { data: options.data };
  const exchange = await Exchange.open({
    ...location,
    onFatal: (error) => {
      log(`FATAL: the journal cannot be written (${(error as Error).message}); stopping so nothing runs ahead of it`);
      process.exit(EXIT_JOURNAL_FAILED);
    },
  });
  const users: UserStore = options.database
    ? await PostgresUserStore.open(options.database, options.schema)
    : new SqliteUserStore(options.data ?? DEFAULT_DATA_DIR);
  const fix =
    options.fixPort === undefined
      ? null
      : await FixGateway.start({
          exchange,
          users,
          storeFile: join(options.data ?? DEFAULT_DATA_DIR, FIX_STORE_FILE_NAME),
          port: options.fixPort,
          host: options.host,
          ...(options.fixTlsCert && options.fixTlsKey
            ? { tls: { cert: readFileSync(options.fixTlsCert), key: readFileSync(options.fixTlsKey) } }
            : {}),
        });
  const app = await buildServer({ exchange, users });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const baseUrl = `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`;
  const scheduler = new Scheduler(exchange);
  scheduler.start();
  const demo = options.demo ? await startDemo(exchange, users, baseUrl, { log }) : null;
  demo?.agents.start();

  log(`sauda exchange on ${baseUrl}  (web application at /, API under /api, OpenAPI at /docs, metrics at /metrics)`);
  if (fix !== null) {
    log(`FIX 4.4 acceptor on ${options.host}:${fix.port}${options.fixTlsCert ? " (TLS)" : ""} (docs/fix.md)`);
  }
  log(`journal: ${exchange.store.kind} ${exchange.store.location}, at seq ${exchange.projections.lastSeq}`);
  if (demo?.credentials) {
    log("");
    log("Demo users — shown this once; keep them (delete the data directory to start a new demo):");
    for (const c of demo.credentials)
      log(`  ${c.role.padEnd(9)} ${c.user.padEnd(28)} ${c.password}${c.member ? `   (member ${c.member})` : ""}`);
    log("");
  } else if (demo) {
    log("demo market running (its users were printed at the first start)");
  }

  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      await demo?.agents.stop(); // the agents' step in flight finishes while the server still answers it
      scheduler.stop();
      await fix?.close(); // FIX sessions are logged out; their requests in flight finish
      await app.close(); // no new requests; requests in flight finish
      await exchange.close(); // the batch in flight is written, then a snapshot
      await users.close();
      log("sauda stopped cleanly");
    })();
    return stopping;
  };
}
