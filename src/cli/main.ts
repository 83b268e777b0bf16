/**
 * The `sauda` command: one entry point for every tool that members, auditors and operators run. Each subcommand
 * lives in its own file; this one only parses arguments (commander) and maps failures to exit codes:
 * 0 success, 1 the input was understood but the answer is "no" (e.g. an auction that needs a reference price),
 * 2 bad usage or unreadable input, 3 the journal failed its integrity checks at start (the first bad record named).
 */

import { readFileSync, realpathSync } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import type { BackupOptions, RestorePointOptions } from "./backup.ts";
import type { SetAsideOptions } from "./checkpoints.ts";
import type { RotateMacOptions } from "./keys.ts";
import type { SimulateOptions } from "./simulate.ts";
import type { SurveilOptions } from "./surveil.ts";
import { CliUsageError } from "./usage-error.ts";
import type { UserCreateOptions } from "./user.ts";
import type { VerifyOptions } from "./verify.ts";

// Each subcommand's module is loaded when that subcommand runs (`await import`), not before: a start of `sauda serve`
// then loads only what serving needs (the simulator, the lab and the offline tools stay unloaded), and a restart after a
// crash serves sooner (docs/operations.md, "Restart versus takeover").

/** `sauda serve` found the journal damaged, forged or rolled back and did not start. */
export const EXIT_JOURNAL_UNSOUND = 3;

/** Writes lines through a buffer: a replay of millions of lines must not make millions of write calls. */
class LineWriter {
  private buffer: string[] = [];
  private size = 0;
  write(line: string): void {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    process.stdout.write(`${this.buffer.join("\n")}\n`);
    this.buffer = [];
    this.size = 0;
  }
}

async function replayCommand(file: string, options: { explain?: boolean }): Promise<void> {
  // Opened first, so a missing or unreadable file is the command's error (`sauda: ENOENT: …`, exit 2), not an
  // unhandled 'error' event of a stream that readline does not pass on.
  const input = file === "-" ? process.stdin : (await open(file)).createReadStream({ encoding: "utf8" });
  const { Replay } = await import("./replay.ts");
  const replay = new Replay({ explain: options.explain ?? false });
  const out = new LineWriter();
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    for (const event of replay.line(line)) out.write(JSON.stringify(event));
  }
  out.write(JSON.stringify(replay.book()));
  out.flush();
}

async function auctionCommand(file: string): Promise<void> {
  const { AuctionInputError, runAuction } = await import("./auction.ts");
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new AuctionInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  process.stdout.write(`${JSON.stringify(runAuction(input))}\n`);
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name("sauda")
    .description("sauda: an electronic trading platform for wholesale gas")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command("replay")
    .description("run one instrument's continuous book over JSON-lines order commands and print every event")
    .argument("<file>", "commands, one JSON object per line, or - for standard input")
    .option("--explain", "add the human-readable message to each rejection")
    .action(replayCommand);

  program
    .command("auction")
    .description("compute one uniform-price call auction from a JSON file")
    .argument("<file>", "the auction input, or - for standard input")
    .action(auctionCommand);

  program
    .command("demo")
    .description("run one demo trading session of the LPG market through the engine and print it")
    .option("--seed <number>", "seed of the demo's order generator", "2022")
    .action(async (options: { seed: string }) => {
      const { describeDemoSession, runDemoSession } = await import("./demo.ts");
      process.stdout.write(`${describeDemoSession(runDemoSession(Number(options.seed))).join("\n")}\n`);
    });

  let exitCode = 0;
  const out = new LineWriter();
  program
    .command("serve")
    .description("run the exchange server (with a demo market unless --no-demo)")
    .option("--port <port>", "TCP port", "8080")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--data <dir>",
      "directory of the embedded SQLite database; a second serve on the same directory (another --port) starts as the first's standby and takes over when it ends",
      "./data",
    )
    .option("--database <url>", "PostgreSQL URL (instead of --data)")
    .option("--schema <name>", "PostgreSQL schema", "sauda")
    .option(
      "--advertise-url <url>",
      "the URL clients reach this node at, published while it leads the journal (default: its listening address); followers forward changes to it",
    )
    .option("--no-demo", "start a clean exchange without the demo market")
    .option(
      "--check-journal-before-serving",
      "check the whole journal hash chain from record 1 before serving (default: the records before the snapshot are checked while serving; a changed one stops all changes)",
    )
    .option(
      "--wait-for-views",
      "serve only once the read models are loaded (default: serve as soon as the engine is recovered; until the read models are loaded, /api/health says views: loading and every other API route answers 503 VIEWS_LOADING)",
    )
    .option("--fix-port <port>", "also open a FIX 4.4 acceptor for order entry and drop copy on this port")
    .option("--fix-tls-cert <file>", "PEM certificate chain: the FIX acceptor speaks TLS (with --fix-tls-key)")
    .option("--fix-tls-key <file>", "PEM private key of --fix-tls-cert")
    .option("--keys <dir>", "keys directory (made on first start); default: <data>-keys beside the data directory")
    .option("--tls-cert <file>", "serve HTTPS with this certificate (PEM); with --tls-key")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--trust-proxy", "behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers")
    .option("--allow-origin <origins...>", "other origins (https://host:port) allowed to send unsafe requests")
    .option("--metrics-port <port>", "also serve /metrics without sign-in on this port (a private listener)")
    .option("--metrics-host <host>", "address of the metrics listener", "127.0.0.1")
    .option("--feed-dir <dir>", "push each finished day's order and trade report (JSONL and CSV) to this directory")
    .option("--feed-bucket <url>", "… and to this S3-compatible bucket, s3://bucket/prefix (AWS_* credentials)")
    .option("--feed-endpoint <url>", "the S3-compatible endpoint of --feed-bucket (default: AWS)")
    .addOption(
      new Option(
        "--smtp-url <url>",
        "e-mail notifications through this SMTP server (smtp[s]://user:pass@host:port)",
      ).env("SAUDA_SMTP_URL"),
    )
    .addOption(new Option("--mail-from <address>", "the notification e-mails' sender").env("SAUDA_MAIL_FROM"))
    .action(
      async (options: {
        port: string;
        host: string;
        data: string;
        database?: string;
        schema: string;
        advertiseUrl?: string;
        demo: boolean;
        checkJournalBeforeServing?: boolean;
        waitForViews?: boolean;
        fixPort?: string;
        fixTlsCert?: string;
        fixTlsKey?: string;
        keys?: string;
        tlsCert?: string;
        tlsKey?: string;
        trustProxy?: boolean;
        allowOrigin?: string[];
        metricsPort?: string;
        metricsHost: string;
        feedDir?: string;
        feedBucket?: string;
        feedEndpoint?: string;
        smtpUrl?: string;
        mailFrom?: string;
      }) => {
        const port = parsePort(options.port, "--port");
        const metricsPort =
          options.metricsPort === undefined ? undefined : parsePort(options.metricsPort, "--metrics-port");
        const fixPort = options.fixPort === undefined ? undefined : parsePort(options.fixPort, "--fix-port");
        if ((options.fixTlsCert === undefined) !== (options.fixTlsKey === undefined))
          throw new CliUsageError("--fix-tls-cert and --fix-tls-key go together");
        const log = (line: string) => process.stdout.write(`${line}\n`);
        const { port: _port, metricsPort: _metricsPort, fixPort: _fixPort, ...rest } = options;
        // Signals are taken before the server starts, so a SIGTERM during start-up (or just after the first lines)
        // still shuts down cleanly instead of killing the process.
        let signalled = false;
        let onSignal = () => {
          signalled = true;
        };
        process.once("SIGTERM", () => onSignal());
        process.once("SIGINT", () => onSignal());
        const { serve } = await import("./serve.ts");
        const stop = await serve(
          {
            ...rest,
            port,
            ...(metricsPort === undefined ? {} : { metricsPort }),
            ...(fixPort === undefined ? {} : { fixPort }),
          },
          log,
        ).catch((error: unknown) => {
          startFailed = true;
          throw error;
        });
        await new Promise<void>((resolve) => {
          const shutdown = () =>
            void stop().then(resolve, (error: unknown) => {
              process.stdout.write(`sauda did not stop cleanly: ${String(error)}\n`);
              process.exitCode = 1;
              resolve();
            });
          onSignal = shutdown;
          if (signalled) shutdown();
        });
      },
    );

  program
    .command("verify")
    .description("rebuild the state from the journal and check every record, event and snapshot hash")
    .option("--data <dir>", "directory of the SQLite journal", "./data")
    .option("--database <url>", "PostgreSQL URL of the journal (instead of --data)")
    .option("--schema <name>", "PostgreSQL schema of the journal", "sauda")
    .option("--keys <dir>", "keys directory (MAC keys, checkpoint key and log); default: <data>-keys")
    .option("--checkpoints <file>", "published checkpoints to check the journal against (JSON lines or JSON)")
    .option("--public-key <file>", "checkpoint public key(s), PEM, if the keys directory is not at hand")
    .action(async (options: VerifyOptions) => {
      const { verifyCommand } = await import("./verify.ts");
      exitCode = await verifyCommand(options, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command("backup")
    .description("copy a running SQLite journal consistently to a file, then verify the copy")
    .option("--data <dir>", "directory of the SQLite journal", "./data")
    .option("--database <url>", "(PostgreSQL journals are backed up with pg_basebackup; see restore-point)")
    .requiredOption("--to <file>", "the copy: a new .sqlite file, or a directory that becomes a data directory")
    .option("--keys <dir>", "keys directory (MAC keys, checkpoint key and log); default: <data>-keys")
    .option("--no-verify", "do not verify the copy")
    .action(async (options: BackupOptions) => {
      const { backupCommand } = await import("./backup.ts");
      exitCode = await backupCommand(options, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command("restore-point")
    .description("PostgreSQL: create a named restore point in the WAL and print the journal head it falls at")
    .option("--database <url>", "PostgreSQL URL of the journal")
    .option("--schema <name>", "PostgreSQL schema of the journal", "sauda")
    .option("--name <name>", "the restore point's name (default sauda-<UTC time>)")
    .action(async (options: RestorePointOptions) => {
      const { restorePointCommand } = await import("./backup.ts");
      exitCode = await restorePointCommand(options, (line) => process.stdout.write(`${line}\n`));
    });

  const keys = program
    .command("keys")
    .description("the exchange's keys (docs/security.md), while the server is stopped");
  keys
    .command("rotate-mac")
    .description(
      "replace the journal MAC key: check the journal, re-MAC its head and snapshots with a new key, keep the old one for older backups",
    )
    .option("--data <dir>", "directory of the SQLite journal", "./data")
    .option("--database <url>", "PostgreSQL URL of the journal (instead of --data)")
    .option("--schema <name>", "PostgreSQL schema of the journal", "sauda")
    .option("--keys <dir>", "keys directory; default: <data>-keys")
    .action(async (options: RotateMacOptions) => {
      const { rotateMacCommand } = await import("./keys.ts");
      exitCode = await rotateMacCommand(options, (line) => process.stdout.write(`${line}\n`));
    });

  const checkpoints = program
    .command("checkpoints")
    .description("the exchange's own log of published checkpoints (docs/operations.md), while the server is stopped");
  checkpoints
    .command("set-aside")
    .description(
      "after restoring an older copy of the journal: move the checkpoints beyond its head out of the log into a file of their own",
    )
    .option("--data <dir>", "directory of the SQLite journal (or the .sqlite copy itself)", "./data")
    .option("--database <url>", "PostgreSQL URL of the journal (instead of --data)")
    .option("--schema <name>", "PostgreSQL schema of the journal", "sauda")
    .option("--keys <dir>", "keys directory; default: <data>-keys")
    .option("--to <file>", "where the lines go; default: checkpoints.set-aside-<time>.jsonl in the keys directory")
    .action(async (options: SetAsideOptions) => {
      const { setAsideCommand } = await import("./checkpoints.ts");
      exitCode = await setAsideCommand(options, (line) => process.stdout.write(`${line}\n`));
    });

  const user = program.command("user").description("users of the exchange (journaled), while the server is stopped");
  user
    .command("create")
    .description("create a user, e.g. the first operator of a --no-demo exchange; prints a new password once")
    .requiredOption("--id <id>", "the user's sign-in name")
    .requiredOption("--name <name>", "the person's full name")
    .requiredOption("--role <role>", "operator, regulator, trader, viewer or administrator")
    .option("--member <member>", "the member of a trader or viewer")
    .option("--reason <text>", "why (shown in the audit trail)", "first operator, created on the command line")
    .option("--password-stdin", "read the password from standard input instead of making one")
    .option("--data <dir>", "directory of the SQLite journal", "./data")
    .option("--database <url>", "PostgreSQL URL of the journal (instead of --data)")
    .option("--schema <name>", "PostgreSQL schema of the journal", "sauda")
    .option("--keys <dir>", "keys directory; default: <data>-keys")
    .action(async (options: UserCreateOptions) => {
      const { userCreateCommand } = await import("./user.ts");
      exitCode = await userCreateCommand(options, readStdin, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command("surveil")
    .description("market surveillance: print one alert per line (JSON) for a history file or an exchange's journal")
    .argument("[file]", "market history, one JSON object per line (docs/surveillance.md), or - for standard input")
    .option("--config <file>", "thresholds to change, as JSON (docs/surveillance.md)")
    .option("--journal <dir>", "run over the SQLite journal in this data directory instead of a file")
    .option("--database <url>", "run over the PostgreSQL journal at this URL instead of a file")
    .option("--schema <name>", "PostgreSQL schema of the journal", "sauda")
    .action(async (file: string | undefined, options: SurveilOptions) => {
      const { surveilCommand } = await import("./surveil.ts");
      exitCode = await surveilCommand(
        file,
        options,
        (line) => out.write(line),
        (line) => process.stderr.write(`sauda surveil: ${line}\n`),
      );
      out.flush();
    });

  program
    .command("simulate")
    .description("run the policy lab: the national LPG market on the real engine under a scenario's rules")
    .argument("[scenario]", "scenario file (scenarios/*.json)")
    .option("--out <dir>", "directory for the results, tables, charts and report", "sim-out")
    .option("--compare <files...>", "two scenarios side by side on the same charts: --compare A.json B.json")
    .option("--sweep <param=values>", "one run per value in parallel, e.g. band=5,10,20")
    .option("--runs <n>", "N runs drawing every uncertain input from its range: uncertainty.json and fan charts")
    .option("--days <n>", "override the scenario's number of days")
    .option("--seed <n>", "override the scenario's seed")
    .action(async (scenario: string | undefined, options: SimulateOptions) => {
      const { simulateCommand } = await import("./simulate.ts");
      exitCode = await simulateCommand(scenario, options, (line) => process.stdout.write(`${line}\n`));
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliUsageError) {
      process.stderr.write(`sauda: ${error.message}\n`);
      return 2;
    }
    // The failure's own module is loaded already (it threw); the others load here only to be told apart.
    const [
      { AuctionInputError },
      { SurveilInputError },
      { ScenarioError },
      { SimulateUsageError },
      { KeysCommandError },
      { CheckpointsCommandError },
      { UserCommandError },
      { JournalCorruptError },
      { KeysError },
      { BackupError },
    ] = await Promise.all([
      import("./auction.ts"),
      import("./surveil.ts"),
      import("../simulator/scenario.ts"),
      import("./simulate.ts"),
      import("./keys.ts"),
      import("./checkpoints.ts"),
      import("./user.ts"),
      import("../journal/recovery.ts"),
      import("../journal/keys.ts"),
      import("../journal/backup.ts"),
    ]);
    if (error instanceof AuctionInputError) {
      process.stderr.write(`sauda auction: ${error.message}\n`);
      return error.message.includes("needs a reference price") ? 1 : 2;
    }
    if (error instanceof SurveilInputError) {
      process.stderr.write(`sauda surveil: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ScenarioError || error instanceof SimulateUsageError) {
      process.stderr.write(`sauda simulate: ${error.message}\n`);
      return 2;
    }
    if (error instanceof BackupError) {
      process.stderr.write(`sauda: ${error.message}\n`);
      return 2;
    }
    if (error instanceof KeysCommandError) {
      process.stderr.write(`sauda keys: ${error.message}\n`);
      return 1;
    }
    if (error instanceof CheckpointsCommandError) {
      process.stderr.write(`sauda checkpoints: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UserCommandError) {
      process.stderr.write(`sauda user: ${error.message}\n`);
      return 1;
    }
    if (error instanceof JournalCorruptError) {
      process.stderr.write(`sauda: the journal is not sound; refusing to start: ${error.message}\n`);
      return EXIT_JOURNAL_UNSOUND;
    }
    if (error instanceof KeysError) {
      process.stderr.write(`sauda: keys: ${error.message}\n`);
      return 2;
    }
    if (isFileError(error)) {
      process.stderr.write(`sauda: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function parsePort(text: string, option: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliUsageError(`${option} ${text} is not a port number`);
  return port;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

/**
 * Whether this file is the program Node was asked to run (`npx tsx src/cli/main.ts serve --help`), not a module that
 * bin/sauda.js (or a test) imports for `main`. Paths are compared after resolving links, as Node resolves the script.
 */
/**
 * Whether `sauda serve` failed to start. What it had started before the failure (a follower's connections and timers,
 * say) may keep the process alive: the caller then ends the process with main's exit code (bin/sauda.js), so a start
 * that failed never lingers as a half-started node that takes no signal.
 */
let startFailed = false;

export function serveFailedToStart(): boolean {
  return startFailed;
}

function isRunDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Run directly, this file behaves as bin/sauda.js does (same arguments, same exit codes); imported, it only exports.
if (isRunDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
  if (startFailed) process.exit();
}
