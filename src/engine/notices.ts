/**
 * A member's notification settings and read marks through the journal, so that they survive a restart, reach every
 * node that follows the journal, and every change is audited with who and when.
 *
 * - `notices.prefer`: which kinds of notification (fills, cancellations by the regulator or a halt, collateral
 *   shortfalls, payment and delivery deadlines, defaults, negotiated deals awaiting an answer, trades the operator voided) go to the browser and which by e-mail, the address to send
 *   to and the language of the e-mail (null: Russian). A later one replaces the earlier one in full.
 * - `notices.read`: the member marks notifications read, by id (at most `NOTICE_READ_IDS_MAX` per command).
 * - `notices.mail`: the leader's notifier records one attempt to e-mail a notification: delivered (error null), or
 *   refused with the SMTP error and when the next attempt is due (null: given up). So the retries survive a restart
 *   and a change of leader, and what was delivered is never mailed again (src/gateway/notifier.ts).
 *
 * The engine keeps no state for either: the check needs only the command and whether the member exists; what the
 * settings and marks are is a read model (src/projections/notifications.ts). The notifications themselves are not
 * engine state at all: they are derived from the engine's events (and, for deadlines, the server's clock).
 */

import { type Problem, problem } from "../domain/errors.ts";
import { isLanguage, type Language } from "../domain/locale.ts";

export const NOTICE_KINDS = ["fill", "cancel", "shortfall", "deadline", "default", "deal", "void"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/** The longest e-mail address accepted (RFC 5321's path limit). */
export const NOTICE_EMAIL_LENGTH_MAX = 254;
/** Ids a single `notices.read` may mark. */
export const NOTICE_READ_IDS_MAX = 100;
/** The longest notification id (`N-<seq>-<n>` or `D-<obligation>-<leg>-<when>`). */
export const NOTICE_ID_LENGTH_MAX = 160;

/**
 * The waits before the 2nd, 3rd, ... attempt to e-mail a notification, each from the attempt before it: 1 min, 5 min,
 * 30 min, 2 h. After the last attempt fails the notification is given up (marked failed) and not mailed again.
 */
export const NOTICE_MAIL_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** Attempts at most: the first and one per wait above. */
export const NOTICE_MAIL_ATTEMPTS_MAX = NOTICE_MAIL_RETRY_DELAYS_MS.length + 1;
/** The longest SMTP error kept with an attempt (longer ones are cut). */
export const NOTICE_MAIL_ERROR_LENGTH_MAX = 300;

/** One address, without display name: local@domain, no spaces or angle brackets (the SMTP client gets it as is). */
const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export interface NoticePreferences {
  /** Kinds shown in the browser (the live channel and the list). */
  readonly web: readonly NoticeKind[];
  /** Kinds sent by e-mail to `email`. */
  readonly mail: readonly NoticeKind[];
  readonly email: string | null;
  /** The e-mail's language; null: Russian. */
  readonly language: Language | null;
}

export interface NoticesPreferCommand extends NoticePreferences {
  readonly type: "notices.prefer";
  readonly member: string;
}

export interface NoticesReadCommand {
  readonly type: "notices.read";
  readonly member: string;
  readonly ids: readonly string[];
}

/** One attempt to e-mail a notification, as the leader's notifier made it. */
export interface NoticeMailAttempt {
  readonly member: string;
  /** The notification's id. */
  readonly id: string;
  /** 1 for the first attempt, up to `NOTICE_MAIL_ATTEMPTS_MAX`. */
  readonly attempt: number;
  /** When it was made (the server's clock). */
  readonly atMs: number;
  /** null: the SMTP server took it; else what went wrong. */
  readonly error: string | null;
  /** When the next attempt is due; null when delivered or given up. */
  readonly nextAttemptMs: number | null;
}

export interface NoticesMailCommand extends NoticeMailAttempt {
  readonly type: "notices.mail";
}

export type NoticeCommand = NoticesPreferCommand | NoticesReadCommand | NoticesMailCommand;

export interface NoticesPreferredEvent extends NoticePreferences {
  readonly type: "notices.preferred";
  readonly member: string;
}

export interface NoticesReadEvent {
  readonly type: "notices.read";
  readonly member: string;
  readonly ids: readonly string[];
}

export interface NoticesMailedEvent extends NoticeMailAttempt {
  readonly type: "notices.mailed";
}

export type NoticeEvent = NoticesPreferredEvent | NoticesReadEvent | NoticesMailedEvent;

function mailProblem(command: NoticesMailCommand): Problem | null {
  const { id, attempt, atMs, error, nextAttemptMs } = command;
  const invalid = (field: string, value: unknown, rule: string) =>
    problem("FIELD_INVALID", { field, value: JSON.stringify(value ?? null).slice(0, 200), rule });
  if (typeof id !== "string" || id.length < 1 || id.length > NOTICE_ID_LENGTH_MAX) {
    return invalid("id", id, `a notification id of 1 to ${NOTICE_ID_LENGTH_MAX} characters`);
  }
  if (!Number.isSafeInteger(attempt) || attempt < 1 || attempt > NOTICE_MAIL_ATTEMPTS_MAX) {
    return invalid("attempt", attempt, `a whole number from 1 to ${NOTICE_MAIL_ATTEMPTS_MAX}`);
  }
  if (!Number.isSafeInteger(atMs) || atMs < 0) return invalid("atMs", atMs, "a time in milliseconds");
  if (error !== null && (typeof error !== "string" || error.length > NOTICE_MAIL_ERROR_LENGTH_MAX)) {
    return invalid("error", error, `null or a text of at most ${NOTICE_MAIL_ERROR_LENGTH_MAX} characters`);
  }
  const retries = error !== null && attempt < NOTICE_MAIL_ATTEMPTS_MAX;
  if (nextAttemptMs !== null && (!retries || !Number.isSafeInteger(nextAttemptMs) || nextAttemptMs <= atMs)) {
    return invalid("nextAttemptMs", nextAttemptMs, "null, or after the attempt when it failed and was not the last");
  }
  return null;
}

function kindsProblem(field: string, kinds: unknown): Problem | null {
  const valid =
    Array.isArray(kinds) &&
    kinds.length <= NOTICE_KINDS.length &&
    kinds.every((kind) => NOTICE_KINDS.includes(kind)) &&
    new Set(kinds).size === kinds.length;
  if (valid) return null;
  return problem("FIELD_INVALID", {
    field,
    value: JSON.stringify(kinds ?? null).slice(0, 200),
    rule: `a list without repeats of: ${NOTICE_KINDS.join(", ")}`,
  });
}

/** Checks the command in full; on success appends its event. */
export function applyNoticeCommand(
  command: NoticeCommand,
  hasMember: (member: string) => boolean,
  out: { push(event: NoticeEvent): unknown },
): Problem | null {
  if (typeof command.member !== "string" || !hasMember(command.member)) {
    return problem("MEMBER_NOT_FOUND", { id: String(command.member).slice(0, 64) });
  }
  if (command.type === "notices.mail") {
    const refused = mailProblem(command);
    if (refused !== null) return refused;
    const { member, id, attempt, atMs, error, nextAttemptMs } = command;
    out.push({ type: "notices.mailed", member, id, attempt, atMs, error, nextAttemptMs } satisfies NoticesMailedEvent);
    return null;
  }
  if (command.type === "notices.read") {
    const { ids } = command;
    const valid =
      Array.isArray(ids) &&
      ids.length >= 1 &&
      ids.length <= NOTICE_READ_IDS_MAX &&
      ids.every((id) => typeof id === "string" && id.length >= 1 && id.length <= NOTICE_ID_LENGTH_MAX);
    if (!valid) {
      return problem("FIELD_INVALID", {
        field: "ids",
        value: JSON.stringify(ids ?? null).slice(0, 200),
        rule: `1 to ${NOTICE_READ_IDS_MAX} notification ids of 1 to ${NOTICE_ID_LENGTH_MAX} characters`,
      });
    }
    out.push({ type: "notices.read", member: command.member, ids: [...ids] } satisfies NoticesReadEvent);
    return null;
  }
  const { member, web, mail, email, language } = command;
  const kinds = kindsProblem("web", web) ?? kindsProblem("mail", mail);
  if (kinds !== null) return kinds;
  if (
    email !== null &&
    (typeof email !== "string" || email.length > NOTICE_EMAIL_LENGTH_MAX || !EMAIL_PATTERN.test(email))
  ) {
    return problem("FIELD_INVALID", {
      field: "email",
      value: JSON.stringify(email ?? null).slice(0, 200),
      rule: `null or one address like name@example.kz of at most ${NOTICE_EMAIL_LENGTH_MAX} characters`,
    });
  }
  if (language !== null && !isLanguage(language)) {
    return problem("FIELD_INVALID", {
      field: "language",
      value: JSON.stringify(language ?? null).slice(0, 200),
      rule: "null (Russian) or one of en, ru, kk",
    });
  }
  out.push({
    type: "notices.preferred",
    member,
    web: [...web],
    mail: [...mail],
    email,
    language,
  } satisfies NoticesPreferredEvent);
  return null;
}
