/**
 * Where the PostgreSQL journal lives, and how to reach its writable primary across a database failover.
 *
 * `--database` takes a libpq-style URL, with one host or several: `postgres://user@h1:5432,h2:5433/sauda` with an
 * optional `target_session_attrs`. node-postgres understands only one host per URL, so the hosts are parsed here and
 * each is connected to in turn, as libpq does: the first that answers and (for `read-write`, the default for sauda,
 * and `primary`) is not in recovery and not read-only is kept. `target_session_attrs=any` keeps the first that answers.
 * Every sauda connection (journal, announcements, leadership) wants the primary: it writes, LISTENs, or holds the lock.
 *
 * After a failover the connection to the old primary fails; `connectRetrying` then tries the hosts in turn again,
 * with a backoff growing to `RECONNECT_BACKOFF_MAX_MS`, until one is the writable primary or `giveUpMs` has passed
 * (`RECONNECT_GIVE_UP_MS`).
 */

import type pg from "pg";

export type SessionAttrs = "read-write" | "primary" | "any";

export interface PgHost {
  readonly host: string;
  readonly port: number;
}

export interface PgTarget {
  /** The hosts in the order given. */
  readonly hosts: readonly PgHost[];
  readonly attrs: SessionAttrs;
  /** The URL with the password hidden, for messages and logs. */
  readonly redacted: string;
  /** A single-host URL for node-postgres, for host number `index`. */
  url(index: number): string;
}

/** The first wait between two rounds over the hosts, doubled each round up to the maximum. */
export const RECONNECT_BACKOFF_FIRST_MS = 100;
export const RECONNECT_BACKOFF_MAX_MS = 1000;
/** A host that does not answer a connection in this long is passed over for the next. */
export const CONNECT_TIMEOUT_MS = 2000;
/**
 * How long a lost connection is tried again before the node gives up (and stops, as before: exit 70): 120 s by
 * default, longer than a failover tool takes to promote a standby (pg_auto_failover's defaults: about 50 s);
 * `SAUDA_DATABASE_RECONNECT_MS` sets it.
 */
export const RECONNECT_GIVE_UP_MS = reconnectGiveUpMs(process.env.SAUDA_DATABASE_RECONNECT_MS);

function reconnectGiveUpMs(text: string | undefined): number {
  if (text === undefined || text === "") return 120_000;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`SAUDA_DATABASE_RECONNECT_MS=${text} is not a number of ms`);
  return ms;
}

const ATTRS: readonly string[] = ["read-write", "primary", "any"];

/**
 * Parses `postgres[ql]://[user[:password]@]host[:port][,host[:port]...][/database][?params]` (hosts may be `[v6]`).
 * `target_session_attrs` is taken out of the parameters (read-write when absent); the rest go to node-postgres as
 * they are, for every host.
 */
export function parseTarget(url: string): PgTarget {
  const match = /^(postgres(?:ql)?):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(url);
  if (match === null)
    throw new Error("the database URL is not postgres://[user[:password]@]host[:port][,host[:port]...]/database");
  const [, scheme, userinfo, hostList, path = "", query = ""] = match;
  const hosts: PgHost[] = [];
  // No host (`postgres:///db?host=/var/run/postgresql`, a Unix socket): one target, as node-postgres reads it.
  for (const part of hostList === "" ? [] : hostList!.split(",")) {
    const hostMatch = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(part);
    if (hostMatch === null) throw new Error(`the database URL's host '${part}' is not host[:port]`);
    const port = hostMatch[2] === undefined ? 5432 : Number(hostMatch[2]);
    if (port < 1 || port > 65535) throw new Error(`the database URL's port ${port} is not 1-65535`);
    hosts.push({ host: hostMatch[1]!, port });
  }
  if (hosts.length === 0) hosts.push({ host: "", port: 5432 });
  const params = new URLSearchParams(query.slice(1));
  const attrsParam = params.get("target_session_attrs") ?? "read-write";
  if (!ATTRS.includes(attrsParam)) {
    throw new Error(
      `target_session_attrs=${attrsParam} is not one sauda can use: read-write (the default), primary or any (it writes)`,
    );
  }
  params.delete("target_session_attrs");
  const rest = params.toString();
  const tail = `${path}${rest === "" ? "" : `?${rest}`}`;
  const auth = userinfo === undefined ? "" : `${userinfo}@`;
  const hidden =
    userinfo === undefined
      ? ""
      : `${userinfo.includes(":") ? `${userinfo.slice(0, userinfo.indexOf(":"))}:***` : userinfo}@`;
  return {
    hosts,
    attrs: attrsParam as SessionAttrs,
    redacted: `${scheme}://${hidden}${hostList}${path}${query}`,
    url: (index) => {
      const host = hosts[index]!;
      return host.host === "" ? `${scheme}://${auth}${tail}` : `${scheme}://${auth}${host.host}:${host.port}${tail}`;
    },
  };
}

/** The URL without its password, for messages and logs (also for one it cannot parse). */
export function redactUrl(url: string): string {
  try {
    return parseTarget(url).redacted;
  } catch {
    return "(unparseable database URL)";
  }
}

export type ClientOptions = Omit<pg.ClientConfig, "connectionString" | "host" | "port">;

/**
 * Connects to the hosts in turn and resolves with the first that fits `target.attrs` (for read-write: not in
 * recovery, `transaction_read_only` off). Rejects, naming each host's answer, when none does.
 */
export async function connectOnce(target: PgTarget, options: ClientOptions = {}): Promise<pg.Client> {
  // Loaded here, not with the module: a server on SQLite never needs the driver (it costs ~90 ms CPU to load).
  const { default: pg } = await import("pg");
  const answers: string[] = [];
  for (let i = 0; i < target.hosts.length; i++) {
    const host = target.hosts[i]!;
    const client = new pg.Client({
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...options,
      connectionString: target.url(i),
    });
    // An error after connecting and before the caller listens must not throw out of the process.
    const ignore = (): void => undefined;
    client.on("error", ignore);
    try {
      await client.connect();
      if (target.attrs !== "any") {
        const result = await client.query(
          "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only",
        );
        const row = result.rows[0] as { recovery: boolean; read_only: string };
        if (row.recovery || row.read_only === "on") {
          answers.push(`${host.host}:${host.port} is ${row.recovery ? "a standby (in recovery)" : "read-only"}`);
          await client.end().catch(ignore);
          continue;
        }
      }
      client.removeListener("error", ignore);
      return client;
    } catch (error) {
      answers.push(`${host.host}:${host.port}: ${(error as Error).message}`);
      await client.end().catch(ignore);
    }
  }
  throw new NoPrimaryError(
    `no ${target.attrs === "any" ? "" : "writable "}PostgreSQL server among ${answers.join("; ")}`,
  );
}

/** None of the listed hosts was a server sauda can use. */
export class NoPrimaryError extends Error {
  override name = "NoPrimaryError";
}

/**
 * `connectOnce` again and again, waiting a backoff between rounds, until one host fits or `giveUpMs` has passed
 * (then the last round's error). `stopped` ends the tries early (the node is closing).
 */
export async function connectRetrying(
  target: PgTarget,
  options: ClientOptions = {},
  giveUpMs = RECONNECT_GIVE_UP_MS,
  stopped: () => boolean = () => false,
): Promise<pg.Client> {
  const start = Date.now();
  let wait = RECONNECT_BACKOFF_FIRST_MS;
  for (;;) {
    try {
      return await connectOnce(target, options);
    } catch (error) {
      if (stopped() || Date.now() - start + wait > giveUpMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(RECONNECT_BACKOFF_MAX_MS, wait * 2);
  }
}

/**
 * Whether an error means the connection (or the server behind it) is gone or is no longer the primary, so that the
 * work may be tried again on a new connection: no SQLSTATE (a socket error, "Connection terminated"), a connection
 * exception (08…), an operator intervention (57P…: shutdown, crash, cannot connect now), or a read-only transaction
 * (25006: the server is now a standby).
 */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
    return code.startsWith("08") || code.startsWith("57P") || code === "25006";
  }
  // ECONNRESET, ECONNREFUSED, EPIPE, …; not Node's own ERR_… codes (a bad argument is not a lost connection, and
  // trying it again on a new connection only fails again, for as long as the store tries).
  if (typeof code === "string" && /^E(?!RR_)[A-Z0-9_]+$/.test(code)) return true;
  return (
    error instanceof NoPrimaryError ||
    /connection terminated|not queryable|connection timeout|timeout expired|socket|closed/i.test(error.message)
  );
}
