/**
 * Delivers members' notifications (src/projections/notifications.ts makes them from durable events): to the browser
 * over the WebSocket channel `notifications` (streams/hub.ts listens here) and by e-mail through SMTP (nodemailer),
 * each kind by the channels the member chose (`notices.prefer`). The list and the read marks are the read model's.
 *
 * Time. Deadline notifications ("a day before" and "at the deadline") need a clock, and the read model has none: the
 * notifier calls `advance(now)` on the server's clock every `NOTICE_TICK_MS` (and `tick()` does it at once, for tests
 * with a fixed clock). On start it advances to now before it listens, so what was due while the server was down is in
 * the list but is not mailed again, and nothing the journal replay made is mailed twice.
 *
 * E-mail. Only when an SMTP server is configured (`sauda serve --smtp-url`, docs/operations.md); without one nothing is
 * sent and nothing fails. Messages wait in a queue of at most `MAIL_QUEUE_MAX` and are sent one at a time; a message
 * that does not fit is dropped and counted, and nothing here ever stops the exchange. The text is in the member's
 * chosen language, Russian when it chose none (reports/notices.ts). In a cluster every node makes the same
 * notifications from the journal and serves them to its streams, but only the leader sends e-mail.
 *
 * Retries. Each attempt's outcome is a journal command (`notices.mail`: the attempt's number and time, the SMTP error
 * or null, when the next attempt is due), so the read model on every node knows which e-mails were delivered, which
 * wait for a retry and when, and which were given up. A failed attempt is tried again after
 * `NOTICE_MAIL_RETRY_DELAYS_MS` (1 min, 5 min, 30 min, 2 h, each from the attempt before); after the fifth failure
 * the notification's e-mail is marked failed. The retries due are found on the clock's tick from the read model, not
 * from memory, so they survive a restart and a change of leader; a delivered e-mail is recorded and never sent again.
 * (The one gap: a crash after the SMTP server took a retry and before its record is durable sends that retry again
 * after the restart; a first attempt in flight at a crash is not sent again, as before.) An e-mail whose member no
 * longer wants it (address removed, kind unticked) is given up at its next attempt without being sent.
 */

import { createRequire } from "node:module";
import type * as Nodemailer from "nodemailer";
import type { Language } from "../domain/locale.ts";
import {
  NOTICE_MAIL_ATTEMPTS_MAX,
  NOTICE_MAIL_ERROR_LENGTH_MAX,
  NOTICE_MAIL_RETRY_DELAYS_MS,
} from "../engine/notices.ts";
import type { Notice } from "../projections/notifications.ts";
import { noticeMail } from "../reports/notices.ts";
import type { Exchange } from "./exchange.ts";

const require = createRequire(import.meta.url);

/** How often the server's clock is checked for deadline notifications. */
export const NOTICE_TICK_MS = 1000;
/** E-mails waiting to be sent at most; more are dropped (and counted) rather than held without bound. */
export const MAIL_QUEUE_MAX = 1000;
/** The language of an e-mail when the member chose none. */
export const MAIL_LANGUAGE_DEFAULT: Language = "ru";
/** The longest an SMTP connection, greeting or socket may stay silent. */
export const SMTP_TIMEOUT_MS = 10_000;

export interface MailSettings {
  /** `smtp://user:password@host:port` or `smtps://…` (nodemailer's connection URL). */
  readonly url: string;
  /** The sender, e.g. `sauda <notices@exchange.kz>`. */
  readonly from: string;
}

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export type MailSender = (mail: OutgoingMail) => Promise<void>;

/**
 * Sends through SMTP. nodemailer is required here, when a server is given an SMTP server, not when this module loads:
 * a server without e-mail never pays its load (about 110 ms of CPU, docs/operations.md "Restart").
 */
export function smtpSender(settings: MailSettings): MailSender {
  const nodemailer = require("nodemailer") as typeof Nodemailer;
  const transport = nodemailer.createTransport(settings.url, {
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  } as never);
  return async (mail) => {
    await transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text });
  };
}

export type WebListener = (member: string, notice: Notice) => void;

export interface NotifierOptions {
  /** Sends an e-mail; null: no SMTP server configured, no e-mail. */
  readonly send: MailSender | null;
  /** Told of an attempt that failed (the server logs it). */
  readonly onMailError?: (error: unknown, mail: OutgoingMail) => void;
  /** Check the clock by a timer (default true; tests call `tick`). */
  readonly timer?: boolean;
}

/** An attempt to e-mail one notification, waiting in the queue. */
interface MailJob {
  readonly member: string;
  readonly id: string;
  readonly attempt: number;
}

/** The error recorded when a retry falls due for an e-mail the member no longer wants (it is given up). */
export const NOT_WANTED = "the member no longer has this notification e-mailed";

/** The system's identity on the attempts' journal records. */
const MAIL_META = { actor: "notifier", role: "system", source: "smtp" };

export interface MailCounts {
  /** E-mails the SMTP server took. */
  readonly sent: number;
  /** Not queued: the queue was full. */
  readonly dropped: number;
  /** Attempts that failed (each retry that fails counts again). */
  readonly failed: number;
  /** Attempts after the first (retries), whatever their outcome. */
  readonly retried: number;
  /** E-mails given up after their last attempt failed (or no longer wanted). */
  readonly gaveUp: number;
}

export class Notifier {
  private readonly webListeners: WebListener[] = [];
  private readonly queue: MailJob[] = [];
  /** Notification ids queued or being sent, so a retry is not queued twice. */
  private readonly pending = new Set<string>();
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private droppedCount = 0;
  private failedCount = 0;
  private sentCount = 0;
  private retriedCount = 0;
  private gaveUpCount = 0;
  private stopped = false;

  constructor(
    private readonly exchange: Exchange,
    private readonly options: NotifierOptions,
  ) {
    // Read models that load behind a serving exchange are wired once loaded (they hold no notice before).
    exchange.whenViewsReady(() => {
      const notices = exchange.projections.notices;
      notices.advance(exchange.clock());
      notices.onNotice((notice) => this.deliver(notice));
    });
    if (options.timer ?? true) {
      this.timer = setInterval(() => this.tick(), NOTICE_TICK_MS);
      this.timer.unref();
    }
  }

  /** Makes the deadline notifications due now on the server's clock, and queues the e-mail retries due. */
  tick(): void {
    // Read models loading behind a serving exchange hold no notice yet: the first tick after they are ready does it.
    if (this.exchange.viewsState !== "ready") return;
    const notices = this.exchange.projections.notices;
    const now = this.exchange.clock();
    const next = notices.nextReminderMs;
    if (next !== null && next <= now) notices.advance(now);
    if (this.options.send === null || this.exchange.role !== "leader") return;
    for (const retry of notices.mailRetries()) {
      if (retry.nextAttemptMs > now || this.pending.has(retry.id)) continue;
      this.enqueue({ member: retry.member, id: retry.id, attempt: retry.attempts + 1 });
    }
  }

  /** Tells `listener` of each notification a member sees in the browser. */
  onWeb(listener: WebListener): () => void {
    this.webListeners.push(listener);
    return () => {
      const at = this.webListeners.indexOf(listener);
      if (at >= 0) this.webListeners.splice(at, 1);
    };
  }

  /** E-mails sent, dropped (queue full), attempts failed and retried, e-mails given up, since the start. */
  get mailCounts(): MailCounts {
    return {
      sent: this.sentCount,
      dropped: this.droppedCount,
      failed: this.failedCount,
      retried: this.retriedCount,
      gaveUp: this.gaveUpCount,
    };
  }

  /** Resolves when the e-mail queue is empty (tests). */
  async idle(): Promise<void> {
    while (this.sending !== null) await this.sending;
  }

  /**
   * Stops the clock's checks and the queue: the attempt being made finishes and is recorded (await `idle`); the rest
   * are not sent (first attempts are lost, as any made while the server is down; retries are due again after a start).
   */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    this.queue.length = 0;
  }

  private deliver(notice: Notice): void {
    const preferences = this.exchange.projections.notices.preferencesOf(notice.member);
    if (preferences.web.includes(notice.facts.kind)) {
      for (const listener of this.webListeners) {
        try {
          listener(notice.member, notice);
        } catch (error) {
          process.emitWarning(`notification listener failed: ${(error as Error).message}`);
        }
      }
    }
    if (this.options.send === null || preferences.email === null || !preferences.mail.includes(notice.facts.kind)) {
      return;
    }
    // Every node of a cluster makes the same notifications from the journal; only the leader mails them.
    if (this.exchange.role !== "leader") return;
    this.enqueue({ member: notice.member, id: notice.id, attempt: 1 });
  }

  private enqueue(job: MailJob): void {
    if (this.stopped) return;
    if (this.queue.length >= MAIL_QUEUE_MAX) {
      this.droppedCount += 1;
      return;
    }
    this.pending.add(job.id);
    this.queue.push(job);
    this.sending ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      try {
        await this.attempt(job);
      } catch (error) {
        // The attempt's record was refused or not written (e.g. this node stopped leading): the read model still says
        // what it said, and the leader's next tick takes it from there.
        process.emitWarning(`notification e-mail attempt not recorded: ${(error as Error).message}`);
      } finally {
        this.pending.delete(job.id);
      }
    }
    this.sending = null;
  }

  /** Sends one attempt and records its outcome in the journal. */
  private async attempt(job: MailJob): Promise<void> {
    const notices = this.exchange.projections.notices;
    const notice = notices.notice(job.member, job.id);
    // Dropped from the kept ones, or already settled (a record from before this job was queued).
    if (notice === null) return;
    const state = notices.mailState(job.id);
    if (state !== null && (state.status !== "retrying" || state.attempts >= job.attempt)) return;
    if (job.attempt > 1) this.retriedCount += 1;
    const preferences = notices.preferencesOf(job.member);
    const atMs = this.exchange.clock();
    const wanted = preferences.email !== null && preferences.mail.includes(notice.facts.kind);
    let error: string | null = NOT_WANTED;
    if (wanted && preferences.email !== null) {
      const { subject, text } = noticeMail(notice, preferences.language ?? MAIL_LANGUAGE_DEFAULT);
      const mail = { to: preferences.email, subject, text };
      try {
        await this.options.send!(mail);
        error = null;
        this.sentCount += 1;
      } catch (failure) {
        this.failedCount += 1;
        this.options.onMailError?.(failure, mail);
        error = errorText(failure);
      }
    }
    const nextAttemptMs =
      error !== null && wanted && job.attempt < NOTICE_MAIL_ATTEMPTS_MAX
        ? atMs + NOTICE_MAIL_RETRY_DELAYS_MS[job.attempt - 1]!
        : null;
    if (error !== null && nextAttemptMs === null) this.gaveUpCount += 1;
    const outcome = await this.exchange.submit(
      { type: "notices.mail", member: job.member, id: job.id, attempt: job.attempt, atMs, error, nextAttemptMs },
      MAIL_META,
    );
    const refused = outcome.events.find((e) => e.type === "rejected");
    if (refused !== undefined) throw new Error(`the journal refused it: ${JSON.stringify(refused)}`);
  }
}

/** The error an attempt records: the SMTP reply or the connection's error, on one line, cut to the length kept. */
function errorText(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim() || "unknown error";
  return text.length > NOTICE_MAIL_ERROR_LENGTH_MAX ? `${text.slice(0, NOTICE_MAIL_ERROR_LENGTH_MAX - 1)}…` : text;
}
