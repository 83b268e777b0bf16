/**
 * The header's notification bell for a member's users: the unread count, kept live by the stream's `notifications`
 * channel (live.ts refetches GET /api/notifications when the channel announces one), and a list that opens under it
 * with each notification's sentence (written by the server in the page's language), its time, and buttons to mark
 * one or all read (POST /api/notifications/read). A notification that was e-mailed says so in a small mark: sent (and
 * after how many attempts), waiting for its next attempt, or given up, with the last error in its title.
 */

import { useState } from "react";
import { invalidate, useApi } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { describeError } from "../errors.ts";
import { exchangeMinute } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";

/**
 * The bell drawn as an inline SVG in the text's colour: an emoji bell needs an emoji font, which a plain Linux
 * desktop (Debian's Chromium) lacks, and there it showed as an empty box. The button's label names it.
 */
function BellIcon() {
  return (
    <svg
      className="bell-icon"
      data-testid="notification-bell-icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M12 2a1.5 1.5 0 0 0-1.5 1.5v.6A6 6 0 0 0 6 10v4.6l-1.7 2.2A.75.75 0 0 0 4.9 18h14.2a.75.75 0 0 0 .6-1.2L18 14.6V10a6 6 0 0 0-4.5-5.9v-.6A1.5 1.5 0 0 0 12 2Zm-2.5 17a2.5 2.5 0 0 0 5 0h-5Z"
      />
    </svg>
  );
}

/** Notifications the list shows (the newest). */
const SHOWN_MAX = 20;
type Lang = "en" | "ru" | "kk";

export function NotificationBell() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const lang = (["en", "ru", "kk"].includes(i18n.language) ? i18n.language : "en") as Lang;
  const list = useApi("/api/notifications", { query: { limit: SHOWN_MAX, lang } });
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const unread = list.data?.unread ?? 0;
  const notifications = list.data?.notifications ?? [];

  const markRead = async (ids: string[]) => {
    if (ids.length === 0) return;
    setError(null);
    try {
      await call("post", "/api/notifications/read", {}, { ids });
      invalidate("/api/notifications");
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <span className="bell">
      <button
        type="button"
        className="link bell-button"
        aria-expanded={open}
        aria-controls="notification-list"
        aria-label={t("notifications.bell", { count: unread })}
        onClick={() => setOpen(!open)}
        data-testid="notification-bell"
      >
        <BellIcon />
        {unread > 0 ? (
          <span className="bell-count" data-testid="notification-unread">
            {unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section id="notification-list" className="bell-list" aria-label={t("notifications.title")}>
          <header>
            <strong>{t("notifications.title")}</strong>
            <button
              type="button"
              onClick={() => void markRead(notifications.filter((n) => !n.read).map((n) => n.id))}
              disabled={unread === 0}
            >
              {t("notifications.markAll")}
            </button>
          </header>
          {error ? <p role="alert">{describeError(error, i18n)}</p> : null}
          {notifications.length === 0 ? <p className="muted">{t("notifications.none")}</p> : null}
          <ul>
            {notifications.map((notice) => (
              <li
                key={notice.id}
                className={notice.read ? "read" : "unread"}
                data-testid="notification"
                data-id={notice.id}
                data-kind={notice.kind}
              >
                <span className="small muted">
                  {t(`notifications.kinds.${notice.kind}`)} · {exchangeMinute(notice.timeMs, locale)}
                </span>
                <span>{notice.text}</span>
                {notice.mail ? (
                  <span
                    className="small muted"
                    data-testid="notification-mail"
                    data-status={notice.mail.status}
                    data-attempts={notice.mail.attempts}
                    title={notice.mail.lastError ?? undefined}
                  >
                    {notice.mail.status === "delivered"
                      ? t(
                          notice.mail.attempts === 1
                            ? "notifications.mail.delivered"
                            : "notifications.mail.deliveredAfter",
                          {
                            attempts: notice.mail.attempts,
                          },
                        )
                      : notice.mail.status === "retrying"
                        ? t("notifications.mail.retrying", {
                            attempts: notice.mail.attempts,
                            next: exchangeMinute(notice.mail.nextAttemptMs ?? notice.mail.lastAttemptMs, locale),
                            error: notice.mail.lastError ?? "",
                          })
                        : t("notifications.mail.failed", {
                            attempts: notice.mail.attempts,
                            error: notice.mail.lastError ?? "",
                          })}
                  </span>
                ) : null}
                {notice.read ? (
                  <span className="small muted">{t("notifications.read")}</span>
                ) : (
                  <button type="button" className="small" onClick={() => void markRead([notice.id])}>
                    {t("notifications.markRead")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </span>
  );
}
