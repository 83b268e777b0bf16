/**
 * The member's notification settings on the Account page: for each kind (fills, cancellations by the exchange,
 * collateral shortfalls, deadlines, defaults, negotiated deals to answer, trades voided) whether it shows in the browser and whether it is e-mailed, the address
 * and the e-mail's language (none: Russian). A trader or an administrator of the member saves them (PUT
 * /api/notifications/preferences, journaled for the whole member with who saved them); a viewer sees them. The server's refusal (its code's sentence) is shown under the form.
 */

import { type FormEvent, useEffect, useRef, useState } from "react";
import { invalidate, useApi } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { describeError } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { FieldError } from "./FieldError.tsx";

const KINDS = ["fill", "cancel", "shortfall", "deadline", "default", "deal", "void"] as const;
type Kind = (typeof KINDS)[number];
type MailLanguage = "" | "en" | "ru" | "kk";

/** The form of an address the exchange takes (src/engine/notices.ts, EMAIL_PATTERN): name@host.domain, no spaces. */
const EMAIL_FORM = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function NotificationSettings({ canChange }: { canChange: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const saved = useApi("/api/notifications/preferences");
  const [web, setWeb] = useState<Set<Kind>>(new Set());
  const [mail, setMail] = useState<Set<Kind>>(new Set());
  const [email, setEmail] = useState("");
  const [language, setLanguage] = useState<MailLanguage>("");
  const [error, setError] = useState<unknown>(null);
  const [addressMissing, setAddressMissing] = useState(false);
  const [addressInvalid, setAddressInvalid] = useState(false);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  // The saved settings fill the form when they first come and whenever they change (saved here, or by another
  // administrator); the page reads them again now and then, and an answer the same as the one shown leaves the boxes
  // as the reader has set them, so a refresh does not undo unsaved choices and save what the reader did not see.
  const savedText = saved.data ? JSON.stringify(saved.data) : "";
  const shownSaved = useRef("");
  useEffect(() => {
    if (!saved.data || savedText === shownSaved.current) return;
    shownSaved.current = savedText;
    setWeb(new Set(saved.data.web));
    setMail(new Set(saved.data.mail));
    setEmail(saved.data.email ?? "");
    setLanguage(saved.data.language ?? "");
  }, [saved.data, savedText]);

  const toggle = (set: Set<Kind>, kind: Kind, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(kind);
    else next.delete(kind);
    return next;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(false);
    // E-mail chosen with no address would save settings that never mail anything: say so instead.
    setAddressMissing(mail.size > 0 && email.trim() === "");
    if (mail.size > 0 && email.trim() === "") return;
    // An address that is not one: said here in words (the exchange's refusal names its wire field and "null").
    setAddressInvalid(email.trim() !== "" && !EMAIL_FORM.test(email.trim()));
    if (email.trim() !== "" && !EMAIL_FORM.test(email.trim())) return;
    setBusy(true);
    try {
      await call(
        "put",
        "/api/notifications/preferences",
        {},
        {
          web: KINDS.filter((kind) => web.has(kind)),
          mail: KINDS.filter((kind) => mail.has(kind)),
          email: email.trim() === "" ? null : email.trim(),
          language: language === "" ? null : language,
        },
      );
      setDone(true);
      invalidate("/api/notifications");
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => void save(event)}
      noValidate
      data-testid="notification-settings"
      aria-describedby={canChange ? undefined : "notification-settings-viewer-only"}
    >
      <h2>{t("notifications.settings.title")}</h2>
      {canChange ? null : (
        // Said before the controls it explains, not under sixteen disabled ones where a viewer would not look.
        <p
          className="banner"
          role="note"
          id="notification-settings-viewer-only"
          data-testid="notification-settings-viewer-only"
        >
          {t("notifications.settings.viewerOnly")}
        </p>
      )}
      <p className="muted small">{t("notifications.settings.explain")}</p>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">{t("notifications.settings.kind")}</th>
            <th scope="col">{t("notifications.settings.web")}</th>
            <th scope="col">{t("notifications.settings.mail")}</th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((kind) => (
            <tr key={kind}>
              <th scope="row">{t(`notifications.kinds.${kind}`)}</th>
              <td>
                <input
                  type="checkbox"
                  name={`web-${kind}`}
                  aria-label={`${t(`notifications.kinds.${kind}`)}: ${t("notifications.settings.web")}`}
                  checked={web.has(kind)}
                  disabled={!canChange}
                  onChange={(event) => setWeb(toggle(web, kind, event.target.checked))}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  name={`mail-${kind}`}
                  aria-label={`${t(`notifications.kinds.${kind}`)}: ${t("notifications.settings.mail")}`}
                  checked={mail.has(kind)}
                  disabled={!canChange}
                  onChange={(event) => setMail(toggle(mail, kind, event.target.checked))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        {t("notifications.settings.email")}
        <input
          name="email"
          type="email"
          value={email}
          disabled={!canChange}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={error !== null || addressMissing}
          aria-describedby="notification-settings-error"
        />
      </label>
      <label>
        {t("notifications.settings.language")}
        <select
          name="mail-language"
          value={language}
          disabled={!canChange}
          onChange={(event) => setLanguage(event.target.value as MailLanguage)}
        >
          <option value="">{t("notifications.settings.languageDefault")}</option>
          <option value="kk">Қазақша</option>
          <option value="ru">Русский</option>
          <option value="en">English</option>
        </select>
      </label>
      <FieldError
        id="notification-settings-error"
        message={
          addressMissing
            ? t("notifications.settings.emailMissing")
            : addressInvalid
              ? t("notifications.settings.emailInvalid", { value: email.trim() })
              : error
                ? describeError(error, i18n)
                : ""
        }
      />
      {canChange ? (
        <button type="submit" disabled={busy}>
          {t("notifications.settings.save")}
        </button>
      ) : null}
      {done ? (
        <p role="status" data-testid="notification-settings-saved">
          {t("notifications.settings.saved")}
        </p>
      ) : null}
    </form>
  );
}
