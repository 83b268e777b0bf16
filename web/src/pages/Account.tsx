/**
 * The signed-in person's own account: who they are and their second factor. Setting one up: the exchange draws a
 * secret, shown as a QR code for the authenticator app (and as text to type), and the person confirms with the code
 * the app shows; from then on signing in asks for a code. Removing it takes a current code. Every step is a request
 * to /api/session/second-factor, and the server's refusal (its code's sentence) is shown beside the code field.
 *
 * The person's language: saved on the exchange (PUT /api/session/language) as soon as it is chosen, it is the
 * language of the pages wherever they sign in and of the server's sentences to them; "follow the browser" clears it.
 */

import { type FormEvent, useEffect, useState } from "react";
import { useSession } from "../api/session.tsx";
import { call, fetchOnce } from "../api/typed.ts";
import type { User } from "../api/types.ts";
import { FieldError } from "../components/FieldError.tsx";
import { NotificationSettings } from "../components/NotificationSettings.tsx";
import { describeError } from "../errors.ts";
import { exchangeMinute } from "../format.ts";
import { LANGUAGES, useI18n } from "../i18n/index.tsx";

interface Setup {
  readonly secret: string;
  readonly uri: string;
  readonly expiresMs: number;
}

export function Account({ user }: { user: User }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [setup, setSetup] = useState<Setup | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { savedLanguage, saveLanguage } = useSession();
  const [languageNote, setLanguageNote] = useState("");
  const [languageError, setLanguageError] = useState<unknown>(null);

  useEffect(() => {
    void fetchOnce("/api/session").then((session) => setEnabled(session.secondFactor === true));
  }, []);

  useEffect(() => {
    if (setup === null) {
      setQr(null);
      return;
    }
    let live = true;
    // An SVG as a data: address (no canvas needed; the page's CSP allows data: images).
    // The QR library is fetched only here, when a second factor is being set up.
    import("qrcode")
      .then(({ toString: qrSvg }) => qrSvg(setup.uri, { type: "svg", margin: 1, width: 200 }))
      .then((svg) => {
        if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => {
        if (live) setQr(null);
      });
    return () => {
      live = false;
    };
  }, [setup]);

  const act = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const begin = () =>
    act(async () => {
      setSetup(await call("post", "/api/session/second-factor", {}, {}));
      setCode("");
    });

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await call("post", "/api/session/second-factor/confirm", {}, { code: code.trim() });
      setSetup(null);
      setCode("");
      setEnabled(true);
    });
  };

  const remove = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await call("delete", "/api/session/second-factor", {}, { code: code.trim() });
      setCode("");
      setEnabled(false);
    });
  };

  const chooseLanguage = (value: string) => {
    const language = value === "en" || value === "ru" || value === "kk" ? value : null;
    setLanguageError(null);
    setLanguageNote("");
    saveLanguage(language)
      .then(() => {
        const name = LANGUAGES.find((l) => l.code === language)?.name;
        setLanguageNote(name === undefined ? "cleared" : name);
      })
      .catch((caught: unknown) => setLanguageError(caught));
  };

  const message = error ? describeError(error, i18n) : "";
  const codeField = (
    <label>
      {t("account.code")}
      <input
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(event) => setCode(event.target.value)}
        aria-invalid={error !== null}
        aria-describedby="account-error"
      />
    </label>
  );
  return (
    <section className="panel account" aria-labelledby="account-title">
      <h1 id="account-title">{t("account.title")}</h1>
      <p>
        {user.name} ({user.id}){user.member ? ` · ${user.member}` : ""} · {t(`roles.${user.role}`)}
      </p>
      <h2>{t("account.language")}</h2>
      <p className="muted small">{t("account.languageExplain")}</p>
      <label>
        {t("account.language")}
        <select
          data-testid="account-language"
          value={savedLanguage ?? ""}
          disabled={savedLanguage === undefined}
          onChange={(event) => chooseLanguage(event.target.value)}
          aria-describedby="account-language-note"
        >
          <option value="">{t("account.languageFollow")}</option>
          {LANGUAGES.map((language) => (
            <option key={language.code} value={language.code}>
              {language.name}
            </option>
          ))}
        </select>
      </label>
      <p id="account-language-note" className="small" aria-live="polite" data-testid="account-language-note">
        {languageNote === ""
          ? ""
          : languageNote === "cleared"
            ? t("account.languageCleared")
            : t("account.languageSaved", { language: languageNote })}
      </p>
      {languageError ? <FieldError id="account-language-error" message={describeError(languageError, i18n)} /> : null}
      <h2>{t("account.secondFactor")}</h2>
      <p data-testid="second-factor-status">{enabled === null ? "…" : enabled ? t("account.on") : t("account.off")}</p>
      {enabled === false && setup === null ? (
        <>
          <p className="muted small">{t("account.explain")}</p>
          <button type="button" onClick={() => void begin()} disabled={busy}>
            {t("account.begin")}
          </button>
        </>
      ) : null}
      {enabled === false && setup !== null ? (
        <form onSubmit={confirm} noValidate data-testid="second-factor-setup">
          <p>{t("account.scan")}</p>
          {qr ? <img src={qr} alt={t("account.qr")} width={200} height={200} data-testid="second-factor-qr" /> : null}
          <p className="small">
            {t("account.typeSecret")} <code data-testid="second-factor-secret">{setup.secret}</code>
          </p>
          <p className="muted small">{t("account.expires", { time: exchangeMinute(setup.expiresMs, locale) })}</p>
          {codeField}
          <FieldError id="account-error" message={message} />
          <button type="submit" disabled={busy || code.trim() === ""}>
            {t("account.confirm")}
          </button>
        </form>
      ) : null}
      {enabled === true ? (
        <form onSubmit={remove} noValidate data-testid="second-factor-remove">
          <p className="muted small">{t("account.removeExplain")}</p>
          {codeField}
          <FieldError id="account-error" message={message} />
          <button type="submit" disabled={busy || code.trim() === ""}>
            {t("account.remove")}
          </button>
        </form>
      ) : null}
      {enabled === false && setup === null && message ? <FieldError id="account-error" message={message} /> : null}
      {user.member ? (
        // The member's traders and its administrators change its notification settings (the API's memberOwnChange).
        <NotificationSettings canChange={user.role === "trader" || user.role === "administrator"} />
      ) : null}
    </section>
  );
}
