/** Sign-in form for members' traders and viewers, the regulator and the operator. */

import { type FormEvent, useState } from "react";
import { ApiError } from "../api/client.ts";
import { useSession } from "../api/session.tsx";
import { FieldError } from "../components/FieldError.tsx";
import { describeError, fieldOf } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { homeOf, navigate, usePath } from "../router.tsx";

export function SignIn({ reason }: { reason?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { signIn } = useSession();
  const path = usePath();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  // Shown once the exchange says this user signs in with a second factor too.
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(name.trim(), password, needsCode ? code.trim() : undefined);
      if (path === "/login") navigate(homeOf(user.role));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === "SECOND_FACTOR_REQUIRED") setNeedsCode(true);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const field = error ? fieldOf(error) : null;
  // The button stays disabled until every field is filled; say which one is missing rather than leave it mute.
  const missing =
    name.trim() === ""
      ? "signIn.needUser"
      : password === ""
        ? "signIn.needPassword"
        : needsCode && code.trim() === ""
          ? "signIn.needCode"
          : null;
  const message = error ? describeError(error, i18n) : "";
  return (
    <section className="panel signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{t("signIn.title")}</h1>
      {reason ? (
        <p className="muted" id="signin-reason">
          {reason}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <label>
          {t("signIn.user")}
          <input
            name="user"
            autoComplete="username"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            aria-invalid={field === "user"}
          />
        </label>
        <label>
          {t("signIn.password")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
            aria-invalid={field === "password"}
            aria-describedby="signin-error"
          />
        </label>
        {needsCode ? (
          <label>
            {t("signIn.code")}
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              aria-invalid={
                error instanceof ApiError &&
                (error.code === "SECOND_FACTOR_INVALID" || error.code === "SECOND_FACTOR_CODE_FORMAT")
              }
              aria-describedby="signin-error"
            />
          </label>
        ) : null}
        <FieldError id="signin-error" message={message} />
        {missing !== null && !message ? (
          <p className="muted" id="signin-missing">
            {t(missing)}
          </p>
        ) : null}
        <button type="submit" disabled={busy || missing !== null}>
          {t("signIn.submit")}
        </button>
      </form>
    </section>
  );
}
