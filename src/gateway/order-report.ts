/**
 * The regulator's order and trade report of one trading day, made from the journal (src/reports/feed.ts gives the
 * records; this file finds the day's records and the books at its start), and its push to a directory: once a day is
 * over in exchange time, `orders-YYYY-MM-DD.jsonl` and `.csv` are written there (T+1), the same bytes the regulator
 * downloads from GET /api/regulator/reports/orders.
 *
 * Cost: the day's first record is found by binary search over the journal (O(log records) reads); the books at its
 * start are rebuilt from the records before it, page by page (O(records before the day)); then the day's records are
 * read page by page. Memory: the resting orders and the day's report.
 *
 * The push goes to a directory (each file written under a temporary name and renamed, so a reader never sees half a
 * report) or to an S3-compatible bucket (the AWS SDK, loaded only then); a day whose two files are there is not
 * written again. It looks back at most `FEED_PUSH_DAYS_BACK_MAX` days.
 */

import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { READ_PAGE_RECORDS } from "../journal/store.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../projections/numbers.ts";
import { outcomeOfRecord, type ProjectionOutcome } from "../projections/outcome.ts";
import { dayStartMs } from "../reports/bulletin.ts";
import { type FeedRecord, feedCsv, feedJsonLines, feedRecords, ReportBooks } from "../reports/feed.ts";
import type { Exchange } from "./exchange.ts";

const DAY_MS = 86_400_000;
/** How many finished days a push looks back for reports not yet written. */
export const FEED_PUSH_DAYS_BACK_MAX = 31;
/** How often the server looks for a finished day to push (a day's report is due T+1, so a minute is plenty). */
export const FEED_PUSH_INTERVAL_MS = 60_000;

/** Whether the day is over in exchange time (by the journal's time or the clock, whichever is later). */
export function reportDayOver(exchange: Exchange, day: string): boolean {
  const toMs = dayStartMs(day, EXCHANGE_UTC_OFFSET_MS) + DAY_MS;
  return toMs <= Math.max(exchange.projections.lastTimeMs, exchange.clock());
}

/** The first seq whose time is at or after `timeMs`, or lastSeq + 1. */
async function firstSeqAt(exchange: Exchange, timeMs: number, lastSeq: number): Promise<number> {
  let lo = 1;
  let hi = lastSeq + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const [record] = await exchange.store.read(mid, 1);
    if (record !== undefined && record.timeMs < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Outcomes with seq in [from, to), page by page. */
async function* outcomes(exchange: Exchange, from: number, to: number): AsyncIterable<ProjectionOutcome> {
  for (let seq = from; seq < to; ) {
    const page = await exchange.store.read(seq, Math.min(READ_PAGE_RECORDS, to - seq));
    if (page.length === 0) return;
    for (const record of page) {
      if (record.seq >= to) return;
      yield outcomeOfRecord(record);
    }
    seq = page[page.length - 1]!.seq + 1;
  }
}

/** The report's records of a day (the caller checks that the day is over). */
export async function orderReportRecords(exchange: Exchange, day: string): Promise<FeedRecord[]> {
  const fromMs = dayStartMs(day, EXCHANGE_UTC_OFFSET_MS);
  const toMs = fromMs + DAY_MS;
  const lastSeq = exchange.projections.lastSeq;
  const startSeq = await firstSeqAt(exchange, fromMs, lastSeq);
  const endSeq = await firstSeqAt(exchange, toMs, lastSeq);
  const memberOf = (account: string) => exchange.projections.accounts.info(account)?.member ?? null;
  // The books at the day's start, from everything before it.
  const books = new ReportBooks();
  for await (const outcome of outcomes(exchange, 1, startSeq)) {
    for (const record of feedRecords(0, 0, [], [outcome], memberOf)) books.apply(record);
  }
  const dayOutcomes: ProjectionOutcome[] = [];
  for await (const outcome of outcomes(exchange, startSeq, endSeq)) dayOutcomes.push(outcome);
  return feedRecords(startSeq, fromMs, books.openOrders(), dayOutcomes, memberOf);
}

/** Where pushed reports go: a directory, or an S3-compatible bucket. */
export interface ReportSink {
  /** Where, for the log. */
  readonly location: string;
  has(name: string): Promise<boolean>;
  put(name: string, text: string, contentType: string): Promise<void>;
}

/** A directory: each file written under a temporary name and renamed, so no reader sees half a report. */
export class DirectorySink implements ReportSink {
  constructor(private readonly directory: string) {}

  get location(): string {
    return this.directory;
  }

  async has(name: string): Promise<boolean> {
    try {
      await stat(join(this.directory, name));
      return true;
    } catch {
      return false;
    }
  }

  async put(name: string, text: string): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const temporary = join(this.directory, `.${name}.partial`);
    await writeFile(temporary, text, "utf8");
    await rename(temporary, join(this.directory, name));
  }
}

export interface BucketOptions {
  readonly bucket: string;
  /** Key prefix, e.g. `sauda/orders/`; empty for the bucket's root. */
  readonly prefix: string;
  /** An S3-compatible endpoint (MinIO, Ceph, a cloud's S3 API); the SDK's default AWS endpoint when absent. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Credentials; the SDK's default chain (AWS_ACCESS_KEY_ID, …) when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * An S3-compatible bucket through the AWS SDK (loaded only when a bucket is configured). A PUT of an object is atomic
 * in S3, so a reader never sees half a report there either.
 */
export async function bucketSink(options: BucketOptions): Promise<ReportSink> {
  const { S3Client, HeadObjectCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
  const client = new S3Client({
    region: options.region ?? "us-east-1",
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
  });
  const key = (name: string) => `${options.prefix}${name}`;
  return {
    location: `s3://${options.bucket}/${options.prefix}`,
    async has(name) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key(name) }));
        return true;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) return false;
        throw error;
      }
    },
    async put(name, text, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: options.bucket, Key: key(name), Body: text, ContentType: contentType }),
      );
    },
  };
}

/** Pushes finished days' reports to a sink. */
export class OrderReportPusher {
  private readonly sink: ReportSink;

  /** A directory path, or any sink (a bucket: `bucketSink`). */
  constructor(
    private readonly exchange: Exchange,
    target: string | ReportSink,
  ) {
    this.sink = typeof target === "string" ? new DirectorySink(target) : target;
  }

  /** Writes one finished day's two files (again, if asked); returns their names. */
  async pushDay(day: string): Promise<string[]> {
    if (!reportDayOver(this.exchange, day)) throw new Error(`the day ${day} is not over yet`);
    const records = await orderReportRecords(this.exchange, day);
    const files: [string, string, string][] = [
      [`orders-${day}.jsonl`, feedJsonLines(records), "application/x-ndjson; charset=utf-8"],
      [`orders-${day}.csv`, feedCsv(records), "text/csv; charset=utf-8"],
    ];
    for (const [name, text, type] of files) await this.sink.put(name, text, type);
    return files.map(([name]) => name);
  }

  /**
   * Writes every finished day of the last `FEED_PUSH_DAYS_BACK_MAX` whose files are not there yet, oldest first, and
   * never a day before the journal's first record. Returns the days written.
   */
  async catchUp(): Promise<string[]> {
    const nowMs = Math.max(this.exchange.projections.lastTimeMs, this.exchange.clock());
    const [first] = await this.exchange.store.read(1, 1);
    if (first === undefined) return [];
    const firstDay = localDay(first.timeMs, EXCHANGE_UTC_OFFSET_MS);
    const written: string[] = [];
    for (let back = FEED_PUSH_DAYS_BACK_MAX; back >= 1; back--) {
      const day = localDay(nowMs - back * DAY_MS, EXCHANGE_UTC_OFFSET_MS);
      if (day < firstDay || !reportDayOver(this.exchange, day)) continue;
      const done = (await this.sink.has(`orders-${day}.jsonl`)) && (await this.sink.has(`orders-${day}.csv`));
      if (done) continue;
      await this.pushDay(day);
      written.push(day);
    }
    return written;
  }

  /**
   * Pushes now and then every `FEED_PUSH_INTERVAL_MS`, one round at a time; a failed round (a full disk) is logged
   * and tried again at the next. Returns a stop function that waits for the round in flight.
   */
  start(log: (line: string) => void): () => Promise<void> {
    let running: Promise<void> | null = null;
    const round = () => {
      running ??= this.catchUp()
        .then((days) => {
          for (const day of days) log(`order report of ${day} pushed to ${this.sink.location}`);
        })
        .catch((error: unknown) => log(`order report push failed, tried again in a minute: ${String(error)}`))
        .finally(() => {
          running = null;
        });
    };
    round();
    const timer = setInterval(round, FEED_PUSH_INTERVAL_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}
