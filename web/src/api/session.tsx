/**
 * Who is signed in, for the whole application: restores the browser session (cookie) on load, signs in and out, and
 * keeps the CSRF token for unsafe requests. The cookie itself is HttpOnly: the browser sends it, scripts never see it.
 *
 * The person's saved language (the account page) comes with the session: when there is one, the pages switch to it on
 * load and at sign-in, and the header's language switch saves its choice too, so that the pages and the server's
 * sentences (which follow the saved language for a signed-in person) always agree.
 */

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "../i18n/index.tsx";
import { setCsrfToken } from "./client.ts";
import { languageChanged, onUnauthorized, sessionChanged } from "./live.ts";
import { call, fetchOnce } from "./typed.ts";
import type { User } from "./types.ts";

export type SavedLanguage = "en" | "ru" | "kk" | null;

interface SessionState {
  /** undefined while the session is being read. */
  readonly user: User | null | undefined;
  /** True after the exchange refused a request for want of a valid session while someone was signed in. */
  readonly expired: boolean;
  /** `code`: the second factor's code, for a user who has one (the server asks with SECOND_FACTOR_REQUIRED). */
  signIn(user: string, password: string, code?: string): Promise<User>;
  signOut(): Promise<void>;
  /** The language the person saved (null: the browser's decides); undefined while unknown or signed out. */
  readonly savedLanguage: SavedLanguage | undefined;
  /** Saves the person's language on the exchange (and shows the pages in it). */
  saveLanguage(language: SavedLanguage): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [savedLanguage, setSavedLanguage] = useState<SavedLanguage | undefined>(undefined);
  const { setLanguage } = useI18n();
  const signedIn = useRef(false);
  signedIn.current = Boolean(user);

  // The session ended on the server (it restarted, or the session timed out or was signed out elsewhere): say so,
  // stop fetching what needs it, and ask to sign in again rather than poll into refusals.
  useEffect(
    () =>
      onUnauthorized(() => {
        if (!signedIn.current) return;
        signedIn.current = false;
        setCsrfToken(null);
        setUser(null);
        setSavedLanguage(undefined);
        setExpired(true);
        sessionChanged(false);
      }),
    [],
  );

  const adopt = useCallback(
    (language: SavedLanguage | undefined) => {
      setSavedLanguage(language);
      if (language !== null && language !== undefined) setLanguage(language);
    },
    [setLanguage],
  );

  useEffect(() => {
    fetchOnce("/api/session")
      .then((session) => {
        setCsrfToken(session.csrfToken);
        setUser(session.user);
        adopt(session.language);
      })
      .catch(() => setUser(null));
  }, [adopt]);

  const signIn = useCallback(
    async (name: string, password: string, code?: string) => {
      const session = await call(
        "post",
        "/api/session",
        {},
        code === undefined ? { user: name, password } : { user: name, password, code },
      );
      setCsrfToken(session.csrfToken);
      setUser(session.user);
      adopt(session.language);
      setExpired(false);
      sessionChanged(true);
      return session.user;
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await call("delete", "/api/session", {}, {});
    } finally {
      setCsrfToken(null);
      setUser(null);
      setSavedLanguage(undefined);
      setExpired(false);
      sessionChanged(false);
    }
  }, []);

  const saveLanguage = useCallback(
    async (language: SavedLanguage) => {
      const saved = await call("put", "/api/session/language", {}, { language });
      adopt(saved.language);
      // The exchange answers this person's session in the saved language: what it wrote in the one saved before
      // (fetched at the switch, perhaps before this was saved) is fetched again.
      languageChanged();
    },
    [adopt],
  );

  const value = useMemo(
    () => ({ user, expired, signIn, signOut, savedLanguage, saveLanguage }),
    [user, expired, signIn, signOut, savedLanguage, saveLanguage],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
