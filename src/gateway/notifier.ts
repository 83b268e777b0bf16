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
 * that does not fit is dropped and counted, a send that fails is logged and counted, and neither ever stops the
 * exchange. The text is in the member's chosen language, Russian when it chose none (reports/notices.ts). In a
 * cluster every node makes the same notifications from the journal and serves them to its streams, but only the
 * leader sends e-mail.
 */

import nodemailer from "nodemailer";
import type { Language } from "../domain/locale.ts";
import type { Notice } from "../projections/notifications.ts";
import { noticeMail } from "../reports/notices.ts";
import type { Exchange } from "./exchange.ts";

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

export function smtpSender(settings: MailSettings): MailSender {
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
  /** Told of a send that failed (the server logs it). */
  readonly onMailError?: (error: unknown, mail: OutgoingMail) => void;
  /** Check the clock by a timer (default true; tests call `tick`). */
  readonly timer?: boolean;
}

export class Notifier {
  private readonly webListeners: WebListener[] = [];
  private readonly queue: OutgoingMail[] = [];
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private droppedCount = 0;
  private failedCount = 0;
  private sentCount = 0;

  constructor(
    private readonly exchange: Exchange,
    private readonly options: NotifierOptions,
  ) {
    const notices = exchange.projections.notices;
    notices.advance(exchange.clock());
    notices.onNotice((notice) => this.deliver(notice));
    if (options.timer ?? true) {
      this.timer = setInterval(() => this.tick(), NOTICE_TICK_MS);
      this.timer.unref();
    }
  }

  /** Makes the deadline notifications due now on the server's clock. */
  tick(): void {
    const notices = this.exchange.projections.notices;
    const next = notices.nextReminderMs;
    if (next !== null && next <= this.exchange.clock()) notices.advance(this.exchange.clock());
  }

  /** Tells `listener` of each notification a member sees in the browser. */
  onWeb(listener: WebListener): () => void {
    this.webListeners.push(listener);
    return () => {
      const at = this.webListeners.indexOf(listener);
      if (at >= 0) this.webListeners.splice(at, 1);
    };
  }

  /** E-mails sent, dropped (queue full) and failed since the start. */
  get mailCounts(): { readonly sent: number; readonly dropped: number; readonly failed: number } {
    return { sent: this.sentCount, dropped: this.droppedCount, failed: this.failedCount };
  }

  /** Resolves when the e-mail queue is empty (tests). */
  async idle(): Promise<void> {
    while (this.sending !== null) await this.sending;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
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
    if (this.queue.length >= MAIL_QUEUE_MAX) {
      this.droppedCount += 1;
      return;
    }
    const { subject, text } = noticeMail(notice, preferences.language ?? MAIL_LANGUAGE_DEFAULT);
    this.queue.push({ to: preferences.email, subject, text });
    this.sending ??= this.drain();
  }

  private async drain(): Promise<void> {
    const send = this.options.send!;
    for (let mail = this.queue.shift(); mail !== undefined; mail = this.queue.shift()) {
      try {
        await send(mail);
        this.sentCount += 1;
      } catch (error) {
        this.failedCount += 1;
        this.options.onMailError?.(error, mail);
      }
    }
    this.sending = null;
  }
}
