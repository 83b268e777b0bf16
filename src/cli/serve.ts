/**
 * `sauda serve` (and `npm start`): runs the exchange server. It loads the keys (making them on a first start, beside
 * the data directory), opens the journal (SQLite under --data, or PostgreSQL by --database), checks it and recovers,
 * serves the API and the web application, runs the session scheduler, and — unless --no-demo — creates the demo market
 * on first start and runs the policy lab's agents in it as its members.
 *
 * Transport: plain HTTP on 127.0.0.1 by default; HTTPS with --tls-cert/--tls-key; behind a TLS-terminating reverse
 * proxy with --trust-proxy (then X-Forwarded-Proto decides Secure cookies and HSTS). /metrics needs an operator on the
 * main listener; --metrics-port serves it without sign-in on a separate listener (for Prometheus, on a private address).
 *
 * Several processes on one SQLite journal, on one machine (docs/operations.md, "A standby on the same machine"): the
 * first takes the lock beside the journal file and leads; a process started while it does starts as its standby (a
 * follower, as on PostgreSQL below), and the standby whose try comes first takes over when the leader's process ends.
 *
 * Several nodes on one PostgreSQL journal (docs/operations.md): each starts as a follower, and the one that takes the
 * journal's leadership lock writes; the others apply the journal as it grows, serve reads and forward changes to the
 * leader (gateway/forwarding.ts); when the leader dies one of them takes over. A node that loses the leadership exits
 * (70) at once and is started again as a follower by its supervisor. When the database fails over (a multi-host
 * --database URL), every connection is made again to the new primary and the leader goes on in a new epoch.
 *
 * SIGTERM or SIGINT: stop taking requests, let requests in flight finish, write the batch in flight and a snapshot,
 * sign a last checkpoint, close the journal, exit 0. If the journal cannot be written, the process stops at once
 * (exit 70): it must not run ahead of what is durable. The engine's invariants are checked every minute and before
 * every snapshot; a failure stops all changes (reads go on) and raises the alarm (an error log line,
 * `sauda_writes_stopped` in /metrics).
 *
 * The journal records before the engine's snapshot are checked while the node already serves (the state does not
 * depend on them; docs/security.md): a changed one raises the same alarm, naming the record. --check-journal-before-
 * serving checks them before serving instead (a changed one refuses the start, exit 3). Followers always do.
 *
 * The read models (accounts, users, market data, audit, surveillance) load behind serving: the node listens as soon as
 * the engine is recovered, /api/health says `views: "loading"` with how far they are, every other API route answers
 * 503 VIEWS_LOADING (Retry-After) until they are loaded, and the scheduler's commands are taken and kept for them.
 * What reads them outside the routes (the order report pushers, the demo) starts once they are. --wait-for-views
 * serves only once they are loaded; so does a node with a FIX acceptor (its sessions read them) or on PostgreSQL.
 */

import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Fastify from "fastify";
import { Exchange } from "../gateway/exchange.ts";
import { InvariantWatch } from "../gateway/invariants.ts";
import { Metrics } from "../gateway/metrics.ts";
import { bucketSink, OrderReportPusher } from "../gateway/order-report.ts";
import { LIGHT_SCRYPT, RECOMMENDED_SCRYPT } from "../gateway/passwords.ts";
import { Scheduler } from "../gateway/scheduler.ts";
import { buildServer } from "../gateway/server.ts";
import { Users } from "../gateway/users.ts";
import { KEY_FILES, publicKeyId } from "../journal/keys.ts";
import { type JournalLeadership, Leadership } from "../journal/leadership.ts";
import { NotLeaderError } from "../journal/postgres-store.ts";
import { SqliteLeadership } from "../journal/sqlite-leadership.ts";
import { holdForServer } from "../journal/sqlite-serving.ts";
import { sqliteFile } from "../journal/sqlite-store.ts";
import { demoAccess } from "./demo-users.ts";
import { semiSpaceMb, youngGenerationLine } from "./young-generation.ts";

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
  /** The URL clients reach this node at, published while it leads (default: the listening address). */
  readonly advertiseUrl?: string;
  readonly demo: boolean;
  /** Check the whole chain before serving (the records before the snapshot too), as followers do. */
  readonly checkJournalBeforeServing?: boolean;
  /**
   * Serve only once the read models are loaded. By default a leader on SQLite serves as soon as the engine is
   * recovered and loads them behind (Exchange `deferViews`); with a FIX acceptor, or on PostgreSQL, it always waits.
   */
  readonly waitForViews?: boolean;
  /** Open a FIX 4.4 acceptor on this port (docs/fix.md); none when absent. */
  readonly fixPort?: number;
  /** PEM certificate chain and key files: the FIX acceptor speaks TLS. */
  readonly fixTlsCert?: string;
  readonly fixTlsKey?: string;
  readonly keys?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly trustProxy?: boolean;
  readonly allowOrigin?: readonly string[];
  readonly metricsPort?: number;
  readonly metricsHost?: string;
  /** Push each finished day's order and trade report (JSON Lines and CSV) to this directory (T+1). */
  readonly feedDir?: string;
  /** … and to this S3-compatible bucket, `s3://bucket/prefix`; credentials from the AWS environment variables. */
  readonly feedBucket?: string;
  /** The S3-compatible endpoint of --feed-bucket (MinIO, Ceph, …); AWS when absent. */
  readonly feedEndpoint?: string;
  /** The SMTP server notifications are e-mailed through (`smtp://user:pass@host:587`); none: no e-mail. */
  readonly smtpUrl?: string;
  /** The e-mails' sender. */
  readonly mailFrom?: string;
}

/** The sender of notification e-mails when `--mail-from` (SAUDA_MAIL_FROM) is not given. */
export const MAIL_FROM_DEFAULT = "sauda <notices@localhost>";

/** `s3://bucket/prefix` → bucket and a prefix ending in `/` (or empty). */
export function parseBucketUrl(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (match === null) throw new Error(`--feed-bucket ${url} is not s3://bucket/prefix`);
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  return { bucket: match[1]!, prefix: prefix === "" ? "" : `${prefix}/` };
}

export const EXIT_JOURNAL_FAILED = 70;

/** The refusal of a start whose port another server listens on (the command exits 2 with it). */
function portInUse(options: { readonly port: number; readonly host: string }): Error {
  return Object.assign(
    new Error(
      `port ${options.port} on ${options.host} is in use (another server listens there); start with --port and another port`,
    ),
    { code: "EADDRINUSE" },
  );
}

/** Whether `port` on `host` can be listened on now (port 0 always can). */
function portFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once("error", () => resolveFree(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolveFree(true)));
  });
}

/** Where this process's code came from (bin/sauda.js): the compiled build, or the TypeScript sources through tsx. */
const CODE_FROM = import.meta.url.endsWith(".ts") ? "from the sources through tsx" : "from the build in dist/";

export async function serve(options: ServeOptions, log: (line: string) => void): Promise<() => Promise<void>> {
  // Time since the process started (performance's origin): the code is loaded by now.
  const modulesLoadedMs = Math.round(performance.now());
  // Checked before anything starts, so a mistyped bucket stops the start-up, not a running exchange.
  const feedBucket = options.feedBucket === undefined ? null : parseBucketUrl(options.feedBucket);
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new Error("give both --tls-cert and --tls-key, or neither");
  }
  const location = options.database ? { database: options.database, schema: options.schema } : { data: options.data };
  // The read models' load (reading their snapshot and restoring it hold the main thread for seconds) waits until the
  // server listens, so that building the server does not wait for it.
  // On SQLite the lock beside the journal is tried first: a process that finds it held is a standby of the one that
  // holds it (it follows the journal, and takes over when that process ends).
  // Every server on a SQLite journal, leader or standby, holds the serving lock while it runs (sqlite-serving.ts), so
  // that the commands that need it stopped (keys rotate-mac, user create) refuse to run beside it.
  const serving = options.database ? null : holdForServer(sqliteFile(options.data));
  const sqliteLeadership = options.database ? null : new SqliteLeadership({ file: sqliteFile(options.data) });
  const standby = sqliteLeadership !== null && !sqliteLeadership.tryLock();
  if (standby) {
    // A standby loads the whole state before it listens (minutes on a large journal): a port already taken (the same
    // command started twice) is said now, not after that.
    if (!(await portFree(options.port, options.host))) {
      await sqliteLeadership.close();
      serving?.release();
      throw portInUse(options);
    }
    log(
      `another process leads the journal ${sqliteFile(options.data)}: this node starts as its standby (it follows the journal, serves reads, forwards changes, and takes over when that process ends)`,
    );
  }
  // On PostgreSQL every node starts as a follower of the journal and runs for leader once it listens (it leads at
  // once when no other node does). A follower serves only once its read models are loaded.
  const deferViews = options.waitForViews !== true && options.fixPort === undefined && !options.database && !standby;
  let listened = (): void => undefined;
  const listening = new Promise<void>((resolveListening) => {
    listened = resolveListening;
  });
  const exchange = await Exchange.open({
    ...location,
    follower: options.database !== undefined || standby,
    ...(deferViews ? { deferViews: true, viewsGate: () => listening } : {}),
    data: options.data,
    // A server runs a whole session: its snapshot threads start with it, not half way into the session's orders.
    snapshotThreadsAtStart: true,
    ...(options.checkJournalBeforeServing ? { checkJournalBeforeServing: true } : {}),
    ...(options.keys === undefined ? {} : { keysDir: options.keys }),
    onFatal: (error) => {
      log(
        error instanceof NotLeaderError
          ? `FATAL: this node no longer leads the journal (${error.message}); stopping at once so it writes nothing more`
          : `FATAL: the journal cannot be written or followed (${(error as Error).message}); stopping so nothing runs ahead of it`,
      );
      process.exit(EXIT_JOURNAL_FAILED);
    },
  }).catch(async (error: unknown) => {
    await sqliteLeadership?.close();
    serving?.release();
    throw error;
  });
  for (const warning of exchange.warnings) log(`warning: ${warning}`);
  const warningsLogged = exchange.warnings.length;
  const start = exchange.start;
  const took = exchange.startMs;
  const logViews = () => {
    const views = exchange.start;
    const viewsTook = exchange.startMs;
    return `read models from snapshot ${views.viewSnapshotSeq} + ${views.viewsReplayed} records replayed (their snapshot loaded in ${viewsTook.viewsLoadMs} ms from the start, the tail replayed into them in ${viewsTook.viewsReplayMs} ms)`;
  };
  // Said once: with the read models loading behind, the address is said as soon as the node listens.
  const announced = exchange.viewsState === "loading";
  if (announced) {
    log(
      `recovered: engine from snapshot ${start.snapshotSeq} + ${start.replayed} records replayed (journal checked and engine recovered in ${took.engineMs} ms); read models loading behind serving`,
    );
  } else {
    log(
      `recovered: engine from snapshot ${start.snapshotSeq} + ${start.replayed} records replayed (journal checked and engine recovered in ${took.engineMs} ms); ${logViews()}`,
    );
  }
  if (exchange.journalCheck === "running") {
    const checkStartedMs = performance.now();
    log(`checking journal records 1 to ${start.snapshotSeq} while serving (the state does not depend on them)`);
    void exchange.journalChecked().then((state) => {
      // A failure is logged by the server with the alarm (the record named); a closed exchange says nothing.
      if (state === "passed") {
        log(
          `journal checked: records 1 to ${start.snapshotSeq} in ${Math.round(performance.now() - checkStartedMs)} ms`,
        );
      }
    });
  }
  // The demo is a throw-away market whose users sign in often: light scrypt keeps its first start quick. A real
  // exchange (--no-demo) hashes with the recommended parameters.
  const users = new Users(exchange, { scrypt: options.demo ? LIGHT_SCRYPT : RECOMMENDED_SCRYPT });
  const tls =
    options.tlsCert !== undefined && options.tlsKey !== undefined
      ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }
      : undefined;
  const metrics = new Metrics(exchange);
  // The FIX acceptor and the demo are loaded only when asked for: a node without them starts sooner (a takeover
  // pool restarts nodes often).
  const fixModule = options.fixPort === undefined ? null : await import("../gateway/fix/gateway.ts");
  const fixStore = options.fixPort === undefined ? null : await import("../gateway/fix/store.ts");
  const fix =
    options.fixPort === undefined || fixModule === null || fixStore === null
      ? null
      : await fixModule.FixGateway.start({
          exchange,
          users,
          storeFile: join(options.data, fixStore.FIX_STORE_FILE_NAME),
          port: options.fixPort,
          host: options.host,
          ...(options.fixTlsCert && options.fixTlsKey
            ? { tls: { cert: readFileSync(options.fixTlsCert), key: readFileSync(options.fixTlsKey) } }
            : {}),
        });
  const app = await buildServer({
    exchange,
    users,
    metrics,
    ...(tls ? { tls } : {}),
    trustProxy: options.trustProxy ?? false,
    allowedOrigins: options.allowOrigin ?? [],
    mail: options.smtpUrl ? { url: options.smtpUrl, from: options.mailFrom ?? MAIL_FROM_DEFAULT } : null,
  });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    // Nothing was served: close what was opened, so the process ends with the error instead of staying up (with the
    // journal open, a first Ctrl-C would only have been noted for a shutdown that never came). The read models' load
    // waits for the listen: let it go first, or closing the exchange would wait for it for ever.
    listened();
    await fix?.close();
    await app.close();
    await exchange.close();
    await sqliteLeadership?.close();
    serving?.release();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw portInUse(options);
    throw error;
  }
  const listeningMs = Math.round(performance.now());
  // One turn of the event loop first: requests already come (a load balancer's health check) are answered first.
  setImmediate(listened);
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const scheme = tls ? "https" : "http";
  const baseUrl = `${scheme}://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`;
  let leadership: JournalLeadership | null = null;
  if (sqliteLeadership !== null && !standby) {
    // Led from the start: the epoch is bumped now that the URL is known, and every append is fenced by it.
    sqliteLeadership.advertise(options.advertiseUrl ?? baseUrl);
    const epoch = await sqliteLeadership.tryLead();
    if (epoch === null) throw new Error("invariant: the journal's lock, taken at the start, is not held");
    exchange.holdLeadership(sqliteLeadership, epoch);
    log(
      `role: leader of the journal (epoch ${epoch}); a second sauda serve on the same --data becomes its standby (docs/operations.md)`,
    );
  } else if (sqliteLeadership !== null || options.database) {
    if (sqliteLeadership !== null) sqliteLeadership.advertise(options.advertiseUrl ?? baseUrl);
    leadership =
      sqliteLeadership ??
      (await Leadership.connect({
        url: options.database!,
        schema: options.schema,
        advertisedUrl: options.advertiseUrl ?? baseUrl,
      }));
    exchange.onRole((role, took) =>
      log(
        `role: ${role} (epoch ${leadership?.epoch}); this node now writes the journal (the leadership taken in ${took.lockMs} ms, then ${took.applied} records applied and the sequencer started in ${took.leadMs} ms)`,
      ),
    );
    leadership.onSuspended((error) =>
      log(
        `warning: the leadership connection failed (${(error as Error).message ?? String(error)}); appends wait while the database's hosts are tried again`,
      ),
    );
    leadership.onRegained((epoch) => log(`role: leader again (epoch ${epoch}) after the database connection was lost`));
    exchange.onLeaderChange((leader) =>
      log(`the journal's leader is now ${leader.url} (epoch ${leader.epoch}); changes are forwarded to it`),
    );
    await exchange.runForLeader(leadership);
    if (exchange.role === "follower") {
      log(`role: follower of the leader at ${exchange.leaderUrl ?? "(unknown)"}; changes are forwarded to it`);
    }
  }
  let metricsApp: ReturnType<typeof Fastify> | null = null;
  if (options.metricsPort !== undefined) {
    metricsApp = Fastify({ logger: false });
    metricsApp.get("/metrics", async (_request: unknown, reply: { header: (name: string, value: string) => void }) => {
      reply.header("content-type", "text/plain; version=0.0.4");
      return metrics.render();
    });
    await metricsApp.listen({ port: options.metricsPort, host: options.metricsHost ?? "127.0.0.1" });
    const metricsAddress = metricsApp.server.address();
    const metricsPort =
      typeof metricsAddress === "object" && metricsAddress ? metricsAddress.port : options.metricsPort;
    log(`metrics without sign-in on http://${options.metricsHost ?? "127.0.0.1"}:${metricsPort}/metrics`);
  }
  const scheduler = new Scheduler(exchange);
  scheduler.start();
  const watch = new InvariantWatch(exchange);
  watch.start();
  if (exchange.viewsState === "loading") {
    log(
      `sauda exchange on ${baseUrl} (listening ${Math.round(performance.now())} ms after the process started; its read models are loading: /api/health says views: loading, other API routes answer 503 VIEWS_LOADING until they are loaded)`,
    );
    const viewsState = await exchange.viewsReady();
    if (viewsState === "ready") {
      log(`read models ready ${Math.round(performance.now())} ms after the process started: ${logViews()}`);
    }
    // The read models' own warning (a snapshot of them not used) comes with them.
    for (const warning of exchange.warnings.slice(warningsLogged)) log(`warning: ${warning}`);
  }
  // The exchange serves all from here (its read models ready); the demo, when there is one, is built after it.
  const servingAllMs = Math.round(performance.now());
  const feedStops: (() => Promise<void>)[] = [];
  if (options.feedDir !== undefined) feedStops.push(new OrderReportPusher(exchange, options.feedDir).start(log));
  if (feedBucket !== null) {
    const sink = await bucketSink({
      ...feedBucket,
      ...(options.feedEndpoint === undefined ? {} : { endpoint: options.feedEndpoint }),
      ...(process.env.AWS_REGION === undefined ? {} : { region: process.env.AWS_REGION }),
    });
    feedStops.push(new OrderReportPusher(exchange, sink).start(log));
  }
  // The demo's users and keys are the exchange's (journaled); the demo itself reaches the exchange only over HTTP,
  // and over plain HTTP on loopback (with TLS its agents would need the certificate trusted).
  const leading = exchange.role === "leader";
  if (options.demo && !tls && !leading) {
    log("no demo market on a follower (it runs on the leader; this node starts it if it takes over)");
  }
  const access = options.demo && !tls && leading ? await demoAccess(users, exchange.projections.lastSeq === 0) : null;
  const startDemo = async (demoKeys: Awaited<ReturnType<typeof demoAccess>>) =>
    (await import("../demo/demo.ts")).startDemo({
      baseUrl,
      keys: demoKeys.keys,
      memberKeys: demoKeys.memberKeys,
      log,
    });
  let demo = access ? await startDemo(access) : null;
  if (options.demo && tls) log("no demo market over TLS (its agents call the API over plain HTTP); use --no-demo");
  demo?.start();
  let stopping: Promise<void> | null = null;
  if (options.demo && !tls && !leading) {
    // The demo market runs on whichever node leads: a standby that takes over starts it, or the market stands still.
    exchange.onRole((role) => {
      if (role !== "leader" || demo !== null) return;
      void (async () => {
        const started = await startDemo(await demoAccess(users, false));
        if (stopping !== null || demo !== null) return;
        demo = started;
        demo.start();
        log("demo market running on this node, which now leads");
      })().catch((error: unknown) => log(`demo: not started after the takeover (${String(error)})`));
    });
  }

  log(
    `${announced ? "serving all of" : "sauda exchange on"} ${baseUrl}  (web application at /, API under /api, OpenAPI at /docs, metrics at /metrics)`,
  );
  log(
    // Said once all is up. Ready is when the exchange served all; the demo, built after it (on a restart its robots
    // first cancel what they left, paced as the rulebook asks: seconds), is said apart, as is the listening time.
    `started: ready ${servingAllMs} ms after the process started (listening by ${listeningMs} ms, code loaded by ${modulesLoadedMs} ms, ${CODE_FROM})` +
      (demo === null ? "" : `; the demo market built by ${Math.round(performance.now())} ms`),
  );
  log(youngGenerationLine(semiSpaceMb(process.execArgv, process.env.NODE_OPTIONS)));
  if (fix !== null) {
    log(`FIX 4.4 acceptor on ${options.host}:${fix.port}${options.fixTlsCert ? " (TLS)" : ""} (docs/fix.md)`);
  }
  log(`journal: ${exchange.store.kind} ${exchange.store.location}, at seq ${exchange.projections.lastSeq}`);
  log(
    `keys: ${exchange.keys.source === "environment" ? "from the environment" : exchange.keys.dir}; checkpoints signed by key ${publicKeyId(exchange.keys.verifyingKeys[0]!)} (public key: ${exchange.keys.dir}/${KEY_FILES.verifying}, GET /api/journal/checkpoints)`,
  );
  if (users.users().length === 0) {
    log(
      "no users yet: create the first operator with `sauda user create --role operator --id NAME --name 'Full Name'`",
    );
  }
  if (access?.credentials && access.credentials.length > 0) {
    log("");
    log("Demo users — shown this once; keep them (delete the data directory to start a new demo):");
    for (const c of access.credentials)
      log(`  ${c.role.padEnd(13)} ${c.user.padEnd(28)} ${c.password}${c.member ? `   (member ${c.member})` : ""}`);
    log("");
  } else if (demo) {
    log("demo market running (its users were printed at the first start)");
  }

  return () => {
    stopping ??= (async () => {
      // The agents' step in flight finishes while the server still answers it. The demo is a client: its failure
      // (a step that was refused or timed out on a loaded machine) is logged and does not stop the shutdown.
      await demo?.stop().catch((error: unknown) => log(`demo: its last step failed while stopping (${String(error)})`));
      scheduler.stop();
      for (const stopPush of feedStops) await stopPush();
      await fix?.close(); // FIX sessions are logged out; their requests in flight finish
      watch.stop();
      await app.close(); // no new requests; requests in flight finish
      await metricsApp?.close();
      await exchange.close(); // the batch in flight is written, then a snapshot and a last checkpoint
      serving?.release();
      log("sauda stopped cleanly");
    })();
    return stopping;
  };
}
