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
import { exchangeDateTime } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";

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
        <span aria-hidden="true">🔔</span>
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
                  {t(`notifications.kinds.${notice.kind}`)} · {exchangeDateTime(notice.timeMs, locale)}
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
                            next: exchangeDateTime(notice.mail.nextAttemptMs ?? notice.mail.lastAttemptMs, locale),
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
