/**
 * The application frame: header with the pages the signed-in role may open, the language switch and the session,
 * then the current page. Pages that need a role show the sign-in form to anyone without it.
 */

import type { ReactNode } from "react";
import { useConnection, useStreamStatus } from "./api/live.ts";
import { useSession } from "./api/session.tsx";
import type { Role } from "./api/types.ts";
import { ErrorBoundary } from "./components/ErrorBoundary.tsx";
import { MemberUsers } from "./components/MemberUsers.tsx";
import { NotificationBell } from "./components/NotificationBell.tsx";
import { exchangeTime } from "./format.ts";
import { LANGUAGES, useI18n } from "./i18n/index.tsx";
import { Account } from "./pages/Account.tsx";
import { Board } from "./pages/Board.tsx";
import { Lab } from "./pages/Lab.tsx";
import { Operator } from "./pages/Operator.tsx";
import { OperatorFees } from "./pages/OperatorFees.tsx";
import { OperatorUsers } from "./pages/OperatorUsers.tsx";
import { Regulator } from "./pages/Regulator.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { Surveillance, SurveillanceCase } from "./pages/Surveillance.tsx";
import { Terminal } from "./pages/Terminal.tsx";
import { Link, navigate, usePath } from "./router.tsx";

interface PageSpec {
  readonly path: string;
  readonly label: string;
  readonly roles: readonly Role[] | null;
  /** Reached through links only, not the header (a case page). */
  readonly hidden?: boolean;
}

const PAGES: readonly PageSpec[] = [
  { path: "/", label: "nav.board", roles: null },
  { path: "/terminal", label: "nav.terminal", roles: ["trader", "viewer"] },
  { path: "/regulator", label: "nav.regulator", roles: ["regulator"] },
  { path: "/surveillance", label: "nav.surveillance", roles: ["regulator"] },
  { path: "/surveillance/case", label: "nav.surveillance", roles: ["regulator"], hidden: true },
  { path: "/operator", label: "nav.operator", roles: ["operator"] },
  { path: "/operator/users", label: "nav.operatorUsers", roles: ["operator"] },
  { path: "/operator/fees", label: "nav.operatorFees", roles: ["operator"] },
  { path: "/users", label: "nav.users", roles: ["administrator"] },
  { path: "/lab", label: "nav.lab", roles: null },
  {
    path: "/account",
    label: "nav.account",
    roles: ["trader", "viewer", "administrator", "operator", "regulator"],
    hidden: true,
  },
];

export function App() {
  const i18n = useI18n();
  const { t } = i18n;
  const path = usePath();
  const { user, expired, signOut, savedLanguage, saveLanguage } = useSession();
  const stream = useStreamStatus();
  const connection = useConnection();

  const page = PAGES.find((p) => p.path === path);
  const stale = !connection.reachable && page?.path !== "/lab";
  const visible = PAGES.filter((p) => !p.hidden && (p.roles === null || (user && p.roles.includes(user.role))));

  let content: ReactNode;
  if (path === "/login") content = <SignIn />;
  else if (!page) content = <p className="notice">{t("app.notFound")}</p>;
  else if (page.path === "/lab") content = <Lab />;
  else if (page.roles === null) content = <Board />;
  else if (user === undefined) content = <p className="notice">{t("app.loading")}</p>;
  else if (!user) content = <SignIn reason={t("app.needsRole")} />;
  else if (!page.roles.includes(user.role)) {
    // Signed in, but not as one this page is for: say who they are and whom the page is for.
    const roles = page.roles.map((role) => t(`roles.${role}`)).join(", ");
    content = <SignIn reason={t("app.wrongRole", { user: user.name, role: t(`roles.${user.role}`), roles })} />;
  } else if (page.path === "/terminal") content = <Terminal user={user} />;
  else if (page.path === "/account") content = <Account user={user} />;
  else if (page.path === "/users") content = <MemberUsers />;
  else if (page.path === "/regulator") content = <Regulator />;
  else if (page.path === "/surveillance") content = <Surveillance />;
  else if (page.path === "/surveillance/case") content = <SurveillanceCase />;
  else if (page.path === "/operator/users") content = <OperatorUsers />;
  else if (page.path === "/operator/fees") content = <OperatorFees />;
  else content = <Operator />;

  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          sauda
          <span className="brand-sub">{t("app.tagline")}</span>
        </Link>
        <nav aria-label={t("nav.label")}>
          {visible.map((p) => (
            <Link key={p.path} to={p.path} current={p.path === path}>
              {t(p.label)}
            </Link>
          ))}
        </nav>
        <div className="top-right">
          {/* The policy lab reads no live data, so the stream's state would say nothing about that page. */}
          {page?.path !== "/lab" &&
            (stale ? (
              <span className="live live-offline" title={t("app.stream.offline.title")} data-testid="live-status">
                {t("app.stream.offline.label")}
              </span>
            ) : (
              <span className={`live live-${stream}`} title={t(`app.stream.${stream}.title`)} data-testid="live-status">
                {t(`app.stream.${stream}.label`)}
              </span>
            ))}
          <label className="language">
            <span className="visually-hidden">{t("app.language")}</span>
            <select
              value={i18n.language}
              onChange={(event) => {
                const code = event.target.value;
                i18n.setLanguage(code);
                // A person who saved a language changes the saved one too (the server's sentences follow it).
                if (user && typeof savedLanguage === "string" && (code === "en" || code === "ru" || code === "kk")) {
                  void saveLanguage(code).catch(() => undefined);
                }
              }}
            >
              {LANGUAGES.map((language) => (
                <option key={language.code} value={language.code}>
                  {language.name}
                </option>
              ))}
            </select>
          </label>
          {user?.member ? <NotificationBell /> : null}
          {user ? (
            <span className="who">
              <Link to="/account" current={path === "/account"}>
                <span data-testid="who">
                  {user.name}
                  {user.member ? ` · ${user.member}` : ""} · {t(`roles.${user.role}`)}
                </span>
              </Link>
              <button
                type="button"
                className="link"
                onClick={() => {
                  void signOut().then(() => navigate("/"));
                }}
              >
                {t("app.signOut")}
              </button>
            </span>
          ) : user === null ? (
            <Link to="/login" className="button">
              {t("app.signIn")}
            </Link>
          ) : null}
        </div>
      </header>
      <main id="main" className={stale ? "stale" : undefined}>
        {stale ? (
          <p className="banner banner-halt" role="alert" data-testid="stale-banner">
            {connection.lastAnswerMs > 0
              ? t("app.stale", { time: exchangeTime(connection.lastAnswerMs, i18n.locale) })
              : t("app.unreachable")}
          </p>
        ) : null}
        {expired && !user ? (
          <p className="banner" role="alert" data-testid="session-expired">
            {t("app.sessionExpired")} <Link to="/login">{t("app.signInAgain")}</Link>
          </p>
        ) : null}
        <ErrorBoundary key={path}>{content}</ErrorBoundary>
      </main>
      <footer className="foot">{t("app.footer")}</footer>
    </>
  );
}
