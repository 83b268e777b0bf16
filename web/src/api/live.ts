/**
 * Live data for the pages: the one module that decides how the browser keeps what it shows up to date. A page asks
 * for a REST resource by its path (`useLive("/api/instruments")`) and gets the latest value; this module fetches it,
 * shares one copy among every component that shows it, and refreshes it while anyone is looking.
 *
 * How it refreshes is this module's business alone:
 * - polling: each watched path is fetched again every `POLL_MS` (and at once after the user changes something, via
 *   `invalidate`);
 * - the WebSocket stream at /api/stream, when the server has it: stream messages say which resources changed and
 *   only those are fetched again; polling slows to a safety net (`POLL_MS_WITH_STREAM`). See stream.ts.
 * Switching between the two is a change in this file only; pages do not know which is in use.
 *
 * Limits: at most `WATCHED_MAX` paths watched at once (older unwatched ones are dropped from the cache), one request
 * in flight per path, requests time out (client.ts).
 */

import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { ApiError, get, reportUnauthorized } from "./client.ts";
import { Reachability } from "./reachability.ts";
import { restartStream, type StreamStatus, startStream, watch } from "./stream.ts";
import { apiPath, type Params, type ResponseOf, type RouteWith } from "./typed.ts";

export const POLL_MS = 1000;
export const POLL_MS_WITH_STREAM = 15_000;
export const WATCHED_MAX = 200;

export interface LiveValue<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  /** Milliseconds since the epoch of the last successful fetch. */
  readonly updatedMs: number;
}

interface Entry {
  value: LiveValue<unknown>;
  listeners: Set<() => void>;
  inFlight: boolean;
  again: boolean;
  lastFetchMs: number;
  /** Refused for want of a valid session (401): not fetched again until the session changes. */
  refused: boolean;
}

/**
 * Whether the exchange answers: `reachable` turns false when a request gets no answer (or a gateway error) and true
 * again at the next answer; `lastAnswerMs` is when the figures on screen were last fetched, so a page can say how old
 * they are.
 */
export interface Connection {
  readonly reachable: boolean;
  readonly lastAnswerMs: number;
}

let connection: Connection = { reachable: true, lastAnswerMs: 0 };
const connectionListeners = new Set<() => void>();
const reachability = new Reachability();

let lastAnswerMs = 0;

/**
 * The outcome of the request sent with `ticket`. Listeners hear only a change of reachability (the time of the last
 * answer is read when it is lost); an answer to a request older than one that already failed changes nothing.
 */
function settled(ticket: number, reachable: boolean): void {
  if (reachable) lastAnswerMs = Date.now();
  if (!reachability.settle(ticket, reachable)) return;
  connection = { reachable, lastAnswerMs };
  for (const listener of connectionListeners) listener();
}

/** Paths that show one principal's own data; forgotten on signing out, so nobody else sees them. */
const PRIVATE_PREFIXES = ["/api/accounts", "/api/admin", "/api/regulator"];

const entries = new Map<string, Entry>();
let streamStatus: StreamStatus = "off";
const statusListeners = new Set<() => void>();

function entryOf(path: string): Entry {
  let entry = entries.get(path);
  if (!entry) {
    if (entries.size >= WATCHED_MAX) {
      for (const [key, candidate] of entries) {
        if (candidate.listeners.size === 0) {
          entries.delete(key);
          break;
        }
      }
    }
    entry = {
      value: { data: undefined, error: undefined, updatedMs: 0 },
      listeners: new Set(),
      inFlight: false,
      again: false,
      lastFetchMs: 0,
      refused: false,
    };
    entries.set(path, entry);
  }
  return entry;
}

async function refresh(path: string): Promise<void> {
  const entry = entryOf(path);
  if (entry.inFlight) {
    entry.again = true;
    return;
  }
  entry.inFlight = true;
  entry.lastFetchMs = Date.now();
  let unauthorized = false;
  const ticket = reachability.send();
  try {
    const data = await get<unknown>(path);
    entry.value = { data, error: undefined, updatedMs: Date.now() };
    settled(ticket, true);
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError(0, "NETWORK", String(error), { reason: String(error) });
    entry.value = { data: entry.value.data, error: apiError, updatedMs: entry.value.updatedMs };
    const noAnswer = apiError.status === 0 || apiError.status === 502 || apiError.status === 504;
    settled(ticket, !noAnswer);
    if (apiError.status === 401) {
      entry.refused = true;
      entry.again = false;
      unauthorized = true;
    }
  } finally {
    entry.inFlight = false;
  }
  for (const listener of entry.listeners) listener();
  if (unauthorized) reportUnauthorized();
  if (path === "/api/instruments") updateWatch();
  if (entry.again) {
    entry.again = false;
    void refresh(path);
  }
}

/** Fetches again now every watched path that starts with one of the prefixes (after an order, a sign-in, ...). */
export function invalidate(...prefixes: string[]): void {
  refreshWhere((path) => prefixes.some((prefix) => path.startsWith(prefix)));
}

function refreshWhere(isStale: (path: string) => boolean): void {
  for (const [path, entry] of entries) {
    if (entry.listeners.size > 0 && !entry.refused && isStale(path)) void refresh(path);
  }
}

/**
 * Resources whose answers hold sentences the exchange writes in the request's language (or the person's saved one,
 * which wins for a browser session) and that name no language themselves: the audit trail's summaries and refusals
 * (GET /api/regulator/audit). Every other resource the pages watch holds numbers, codes and what people typed (a
 * refusal is said again in the browser from its code and details, errors.ts), or names its language in the query
 * (notifications' `lang`; documents are links with `lang`).
 */
const IN_LANGUAGE_PREFIXES = ["/api/regulator/audit"];

/**
 * The reader's language changed, or the exchange saved it as the person's: what the exchange writes in a language is
 * fetched again. Called at both moments, since a saved language answers the fetch made at the switch in the old one
 * until the new one is saved.
 */
export function languageChanged(): void {
  refreshWhere((path) => IN_LANGUAGE_PREFIXES.some((prefix) => path.startsWith(prefix)));
}

/**
 * After signing in or out (or a session found ended): what the previous principal could see is forgotten and no longer
 * fetched, the stream reconnects as the new principal, and everything on screen is fetched again.
 */
export function sessionChanged(signedIn: boolean): void {
  for (const [path, entry] of entries) {
    entry.refused = false;
    if (PRIVATE_PREFIXES.some((prefix) => path.startsWith(prefix))) {
      entry.value = { data: undefined, error: undefined, updatedMs: 0 };
      entry.again = false;
      for (const listener of entry.listeners) listener();
    }
  }
  restartStream();
  refreshWhere((path) => signedIn || !PRIVATE_PREFIXES.some((prefix) => path.startsWith(prefix)));
}

export { onUnauthorized } from "./client.ts";

let watchedKey = "";

/** Tells the stream which paths are on screen (and which instruments are listed), when that changes. */
function updateWatch(): void {
  const paths = [...entries].filter(([, entry]) => entry.listeners.size > 0).map(([path]) => path);
  const listing = entries.get("/api/instruments")?.value.data as { instruments?: { instrument: string }[] } | undefined;
  const instruments = (listing?.instruments ?? []).map((q) => q.instrument);
  const key = `${paths.sort().join("\n")}|${instruments.join(",")}`;
  if (key === watchedKey) return;
  watchedKey = key;
  watch(paths, instruments);
}

let timer: ReturnType<typeof setInterval> | null = null;

function ensureTimer(): void {
  if (timer !== null) return;
  timer = setInterval(() => {
    const periodMs = streamStatus === "open" ? POLL_MS_WITH_STREAM : POLL_MS;
    const now = Date.now();
    for (const [path, entry] of entries) {
      if (entry.listeners.size > 0 && !entry.refused && now - entry.lastFetchMs >= periodMs - 50) void refresh(path);
    }
  }, POLL_MS);
  startStream({
    onStale: refreshWhere,
    onStatus: (status) => {
      streamStatus = status;
      for (const listener of statusListeners) listener();
    },
  });
}

function subscribe(path: string, listener: () => void): () => void {
  const entry = entryOf(path);
  // A path shown again after no page showed it keeps its last value on screen and is fetched again at once: what
  // changed meanwhile (a case closed on its own page, which only refreshed the paths then shown) would otherwise wait
  // for the next poll, 15 s away while the stream is open.
  const shownAgain = entry.listeners.size === 0;
  entry.listeners.add(listener);
  ensureTimer();
  if (shownAgain && !entry.inFlight && !entry.refused) void refresh(path);
  queueMicrotask(updateWatch);
  return () => {
    entry.listeners.delete(listener);
    queueMicrotask(updateWatch);
  };
}

const EMPTY: LiveValue<never> = { data: undefined, error: undefined, updatedMs: 0 };

/** The latest value of a REST resource, kept up to date while the component is mounted; `null` watches nothing. */
export function useLive<T>(path: string | null): LiveValue<T> & { refresh: () => void } {
  const value = useSyncExternalStore(
    useCallback((listener: () => void) => (path === null ? () => undefined : subscribe(path, listener)), [path]),
    () => (path === null ? EMPTY : (entryOf(path).value as LiveValue<T>)),
  );
  const refreshNow = useCallback(() => {
    if (path !== null) void refresh(path);
  }, [path]);
  return { ...(value as LiveValue<T>), refresh: refreshNow };
}

/**
 * The latest answer of a GET route, typed by the OpenAPI document: `useApi("/api/instruments/{id}/book",
 * { path: { id }, query: { depth: 12 } })`. `null` parameters watch nothing (e.g. before an account is chosen).
 */
export function useApi<P extends RouteWith<"get">>(
  route: P,
  params?: Params<P> | null,
): LiveValue<ResponseOf<P>> & { refresh: () => void } {
  return useLive<ResponseOf<P>>(params === null ? null : apiPath<P, "get">(route, params));
}

/** Whether updates arrive over the WebSocket stream ("open") or by polling. */
export function useStreamStatus(): StreamStatus {
  return useSyncExternalStore(
    (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    () => streamStatus,
  );
}

/** Whether the exchange answers, and when it last did. */
export function useConnection(): Connection {
  return useSyncExternalStore(
    (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    () => connection,
  );
}

/** A clock that ticks every second, for countdowns. */
export function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(id);
  }, [periodMs]);
  return now;
}
