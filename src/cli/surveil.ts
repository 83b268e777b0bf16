/**
 * `sauda surveil`: market surveillance over a history, printing one alert per line (JSON), in rule order, then by
 * start time. Exits 0 whether or not it found any.
 *
 * - `sauda surveil FILE.jsonl [--config FILE.json]` (`-` for standard input): the contract of issue 11 (history.ts,
 *   docs/surveillance.md). A line that breaks the format is refused with its line number on standard error and exit
 *   code 2, and nothing is printed: alerts are printed only once the whole history has been read.
 * - `sauda surveil --journal DIR` or `--database URL [--schema NAME]`: the same detectors over an exchange's journal,
 *   read the way `sauda verify` reads it (every record checked on the hash chain, every command replayed and its events
 *   compared); a damaged journal is reported as `sauda verify` reports it, with exit code 1, and nothing is printed.
 *
 * `--config FILE.json` changes thresholds (config.ts; any subset of the sections and fields); a bad configuration is
 * refused with exit code 2.
 */

import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openStore } from "../journal/open.ts";
import { JournalCorruptError, verify } from "../journal/recovery.ts";
import { SQLITE_FILE_NAME } from "../journal/sqlite-store.ts";
import {
  type Alert,
  AlertBook,
  alertLine,
  ConfigError,
  DEFAULT_CONFIG,
  engineLimits,
  HistoryFormatError,
  HistoryReader,
  JournalAdapter,
  parseConfig,
  Surveillance,
  type SurveillanceConfig,
} from "../surveillance/index.ts";

export interface SurveilOptions {
  readonly config?: string;
  readonly journal?: string;
  readonly database?: string;
  readonly schema?: string;
}

/** Bad usage or unreadable input: exit code 2. */
export class SurveilInputError extends Error {
  override name = "SurveilInputError";
}

/** Runs the command; writes each output line with `write`; returns the exit code (2 is thrown as SurveilInputError). */
export async function surveilCommand(
  file: string | undefined,
  options: SurveilOptions,
  write: (line: string) => void,
  writeError: (line: string) => void,
): Promise<number> {
  const sources = [file !== undefined, options.journal !== undefined, options.database !== undefined].filter(Boolean);
  if (sources.length !== 1) {
    throw new SurveilInputError(
      "give exactly one history: FILE.jsonl (or - for standard input), --journal DIR or --database URL",
    );
  }
  const config = options.config === undefined ? DEFAULT_CONFIG : readConfig(options.config);
  let alerts: Alert[];
  if (file !== undefined) {
    alerts = await surveilFile(file, config);
  } else {
    const result = await surveilJournal(options, config);
    if (typeof result === "string") {
      writeError(result);
      return 1;
    }
    alerts = result;
  }
  // The contract's rules only: `diversion` alerts belong to the server (deliveries are not in a history file, and
  // the detectors run here never raise one); the guard keeps it so.
  for (const alert of alerts) if (alert.rule !== "diversion") write(JSON.stringify(alertLine(alert)));
  return 0;
}

function readConfig(path: string): SurveillanceConfig {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new SurveilInputError(`${path} is not valid JSON: ${error.message}`);
    throw error;
  }
  try {
    return parseConfig(value);
  } catch (error) {
    if (error instanceof ConfigError) throw new SurveilInputError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The alerts of a history file (or standard input for `-`). */
export function surveilFile(file: string, config: SurveillanceConfig): Promise<Alert[]> {
  return surveilStream(file === "-" ? process.stdin : createReadStream(file), file, config);
}

/** The alerts of a history read from a stream (bytes in UTF-8 or text); `name` labels a refusal. */
export async function surveilStream(
  input: NodeJS.ReadableStream,
  name: string,
  config: SurveillanceConfig,
): Promise<Alert[]> {
  const book = new AlertBook();
  const surveillance = new Surveillance(book, { config });
  const reader = new HistoryReader((record) => surveillance.apply(record));
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) reader.line(line);
  } catch (error) {
    if (error instanceof HistoryFormatError) throw new SurveilInputError(`${name} ${error.message}`);
    throw error;
  }
  surveillance.finish(reader.end());
  return book.alerts();
}

/** The alerts of a journal, or the sentence that says why the journal cannot be read. */
export async function surveilJournal(options: SurveilOptions, config: SurveillanceConfig): Promise<Alert[] | string> {
  if (options.journal !== undefined) {
    const path = options.journal;
    const file = path.endsWith(".sqlite") ? path : join(path, SQLITE_FILE_NAME);
    if (!existsSync(file) || !statSync(file).isFile()) throw new SurveilInputError(`no journal at ${file}`);
  }
  const store = await openStore(
    options.database !== undefined
      ? { database: options.database, schema: options.schema ?? "sauda" }
      : { data: options.journal },
  );
  const book = new AlertBook();
  const surveillance = new Surveillance(book, { config });
  let adapter: JournalAdapter | null = null;
  try {
    await verify(store, {
      onRecord: (record) => {
        adapter ??= new JournalAdapter((r) => surveillance.apply(r), engineLimits(record.engine));
        adapter.record(record.seq, record.timeMs, record.command, record.events);
      },
    });
  } catch (error) {
    if (error instanceof JournalCorruptError) return `journal ${store.kind} ${store.location}: BAD — ${error.message}`;
    throw error;
  } finally {
    await store.close();
  }
  surveillance.finish((adapter as JournalAdapter | null)?.lastTime ?? 0);
  return book.alerts();
}
