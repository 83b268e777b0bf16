/**
 * The WebSocket stream at /api/stream, used by live.ts only.
 *
 * live.ts tells it which REST paths are on screen (`watch`); it subscribes to the stream channels that announce
 * changes to those paths (book, quote, trades, phase, safeguards for instruments; orders, fills, balances and
 * obligations for accounts; surveillance for the regulator's alerts and cases; notifications for the member's own) and, for every snapshot or update, tells live.ts which watched paths went stale
 * (`onStale`), so exactly those are fetched again. The REST resource stays the one source of what is shown, so a lost
 * or reordered message can never leave the screen wrong, only late until the next one (or the slow safety poll).
 *
 * The socket's identity is fixed when it opens (the session cookie), so signing in or out reconnects it (`restart`).
 * When the server has no stream, or the connection drops, `onStatus` says so and it retries with a growing pause;
 * live.ts polls meanwhile. Protocol: docs/api.md and src/gateway/streams/protocol.ts on the server.
 */

export type StreamStatus = "off" | "connecting" | "open";

export interface StreamHandlers {
  onStale(isStale: (path: string) => boolean): void;
  onStatus(status: StreamStatus): void;
}

const RETRY_MS_MIN = 1000;
const RETRY_MS_MAX = 30_000;
/** The server allows 64 subscriptions per connection; stay under it. */
const SUBSCRIPTIONS_MAX = 60;

interface Subscription {
  readonly channel: string;
  readonly instrument?: string;
  readonly account?: string;
}

const keyOf = (s: Subscription) => `${s.channel}|${s.instrument ?? ""}|${s.account ?? ""}`;

let handlers: StreamHandlers | null = null;
let socket: WebSocket | null = null;
let retryMs = RETRY_MS_MIN;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let wanted = new Map<string, Subscription>();
const active = new Set<string>();
let requestCounter = 0;

/** Instrument ids and account ids in REST paths. */
const INSTRUMENT_PATH = /^\/api\/instruments\/([^/?]+)\/(book|trades|candles|sessions)/;
const ACCOUNT_PATH = /^\/api\/accounts\/([^/?]+)\/(orders|fills|balances|obligations)/;

/** The subscriptions that keep these paths fresh; `instruments` are the listed ids (for the listing's quotes). */
export function subscriptionsFor(paths: Iterable<string>, instruments: readonly string[]): Map<string, Subscription> {
  const result = new Map<string, Subscription>();
  const add = (s: Subscription) => {
    if (result.size < SUBSCRIPTIONS_MAX) result.set(keyOf(s), s);
  };
  const listing = [...paths].some(
    (p) => p === "/api/instruments" || p.startsWith("/api/indices") || p.startsWith("/api/regulator"),
  );
  if (listing) {
    add({ channel: "phase" });
    add({ channel: "safeguards" });
  }
  // Alerts and cases: one console channel announces every change of the alerts, a case taken or closed among them
  // (the alert's caseId), and every step of a case (`case`); any of them makes the console read its paths again.
  if ([...paths].some((p) => p.startsWith("/api/regulator/surveillance"))) add({ channel: "surveillance" });
  // The signed-in member's notifications: one channel, no key (the server knows the member).
  if ([...paths].some((p) => p.startsWith("/api/notifications"))) add({ channel: "notifications" });
  for (const path of paths) {
    const instrument = INSTRUMENT_PATH.exec(path);
    if (instrument) {
      const id = decodeURIComponent(instrument[1]!);
      add({ channel: instrument[2] === "book" ? "book" : "trades", instrument: id });
    }
    const account = ACCOUNT_PATH.exec(path);
    if (account) add({ channel: account[2]!, account: decodeURIComponent(account[1]!) });
  }
  if (listing) for (const id of instruments) add({ channel: "quote", instrument: id });
  return result;
}

/** Which REST paths a stream message makes stale. */
export function staleTest(message: unknown): ((path: string) => boolean) | null {
  if (typeof message !== "object" || message === null) return null;
  const { type, channel, instrument, account } = message as Record<string, unknown>;
  // A `void` is the trades channel's correction (a voided trade): the tape, candles, sessions and indices change.
  if (type !== "update" && type !== "snapshot" && !(type === "void" && channel === "trades")) return null;
  const enc = (value: unknown) => (typeof value === "string" ? encodeURIComponent(value) : null);
  const i = enc(instrument);
  const a = enc(account);
  const listing = (p: string) => p === "/api/instruments" || p.startsWith("/api/regulator");
  switch (channel) {
    case "book":
      return i ? (p) => p.startsWith(`/api/instruments/${i}/book`) : null;
    case "quote":
      return (p) => listing(p) || (i !== null && p.startsWith(`/api/instruments/${i}/sessions`));
    case "trades":
      return (p) =>
        listing(p) ||
        p.startsWith("/api/indices") ||
        (i !== null && /^\/api\/instruments\/[^/]+\/(trades|candles|sessions)/.test(p) && p.includes(`/${i}/`));
    case "phase":
    case "safeguards":
      return (p) => listing(p) || p.startsWith("/api/indices") || /\/sessions/.test(p);
    case "orders":
    case "fills":
    case "balances":
    case "obligations":
      return a ? (p) => p.startsWith(`/api/accounts/${a}/`) || p.startsWith("/api/admin") : null;
    case "surveillance":
      return (p) => p.startsWith("/api/regulator/surveillance");
    case "notifications":
      return (p) => p.startsWith("/api/notifications");
    default:
      return null;
  }
}

function send(message: Record<string, unknown>): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function sync(): void {
  if (socket?.readyState !== WebSocket.OPEN) return;
  for (const key of [...active]) {
    if (wanted.has(key)) continue;
    const [channel, instrument, account] = key.split("|");
    send({
      op: "unsubscribe",
      channel,
      ...(instrument ? { instrument } : {}),
      ...(account ? { account } : {}),
    });
    active.delete(key);
  }
  for (const [key, subscription] of wanted) {
    if (active.has(key)) continue;
    requestCounter++;
    send({ op: "subscribe", id: requestCounter, ...subscription });
    active.add(key);
  }
}

/** Sets the paths on screen; subscriptions follow. */
export function watch(paths: Iterable<string>, instruments: readonly string[]): void {
  wanted = subscriptionsFor(paths, instruments);
  sync();
}

function connect(): void {
  if (!handlers || typeof WebSocket === "undefined") return;
  const current = handlers;
  current.onStatus("connecting");
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/stream`;
  const opened = new WebSocket(url);
  socket = opened;
  active.clear();
  opened.addEventListener("open", () => {
    if (socket !== opened) return;
    retryMs = RETRY_MS_MIN;
    current.onStatus("open");
    sync();
  });
  opened.addEventListener("message", (event) => {
    if (socket !== opened || typeof event.data !== "string") return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    const test = staleTest(message);
    if (test) current.onStale(test);
  });
  opened.addEventListener("close", () => {
    if (socket !== opened) return;
    socket = null;
    active.clear();
    current.onStatus("off");
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(RETRY_MS_MAX, retryMs * 2);
  });
}

export function startStream(streamHandlers: StreamHandlers): void {
  if (handlers) return;
  handlers = streamHandlers;
  connect();
}

/** Reconnects now (after signing in or out: the socket's identity is fixed when it opens). */
export function restartStream(): void {
  if (!handlers) return;
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
  retryMs = RETRY_MS_MIN;
  const old = socket;
  socket = null;
  old?.close();
  connect();
}
