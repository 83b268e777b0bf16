/**
 * A member's notification settings and read marks through the journal, so that they survive a restart, reach every
 * node that follows the journal, and every change is audited with who and when.
 *
 * - `notices.prefer`: which kinds of notification (fills, cancellations by the regulator or a halt, collateral
 *   shortfalls, payment and delivery deadlines, defaults, negotiated deals awaiting an answer) go to the browser and which by e-mail, the address to send
 *   to and the language of the e-mail (null: Russian). A later one replaces the earlier one in full.
 * - `notices.read`: the member marks notifications read, by id (at most `NOTICE_READ_IDS_MAX` per command).
 *
 * The engine keeps no state for either: the check needs only the command and whether the member exists; what the
 * settings and marks are is a read model (src/projections/notifications.ts). The notifications themselves are not
 * engine state at all: they are derived from the engine's events (and, for deadlines, the server's clock).
 */

import { type Problem, problem } from "../domain/errors.ts";
import { isLanguage, type Language } from "../domain/locale.ts";

export const NOTICE_KINDS = ["fill", "cancel", "shortfall", "deadline", "default", "deal"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/** The longest e-mail address accepted (RFC 5321's path limit). */
export const NOTICE_EMAIL_LENGTH_MAX = 254;
/** Ids a single `notices.read` may mark. */
export const NOTICE_READ_IDS_MAX = 100;
/** The longest notification id (`N-<seq>-<n>` or `D-<obligation>-<leg>-<when>`). */
export const NOTICE_ID_LENGTH_MAX = 160;

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

export type NoticeCommand = NoticesPreferCommand | NoticesReadCommand;

export interface NoticesPreferredEvent extends NoticePreferences {
  readonly type: "notices.preferred";
  readonly member: string;
}

export interface NoticesReadEvent {
  readonly type: "notices.read";
  readonly member: string;
  readonly ids: readonly string[];
}

export type NoticeEvent = NoticesPreferredEvent | NoticesReadEvent;

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
