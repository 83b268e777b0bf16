/** Sign-in form for members' traders and viewers, the regulator and the operator. */

import { type FormEvent, useState } from "react";
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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(name.trim(), password);
      if (path === "/login") navigate(homeOf(user.role));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const field = error ? fieldOf(error) : null;
  const message = error ? describeError(error, i18n) : "";
  return (
    <section className="panel signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{t("signIn.title")}</h1>
      {reason ? <p className="muted">{reason}</p> : null}
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
        <FieldError id="signin-error" message={message} />
        <button type="submit" disabled={busy || name === "" || password === ""}>
          {t("signIn.submit")}
        </button>
      </form>
    </section>
  );
}
