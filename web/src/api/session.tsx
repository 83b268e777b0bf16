/**
 * Who is signed in, for the whole application: restores the browser session (cookie) on load, signs in and out, and
 * keeps the CSRF token for unsafe requests. The cookie itself is HttpOnly: the browser sends it, scripts never see it.
 */

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { setCsrfToken } from "./client.ts";
import { onUnauthorized, sessionChanged } from "./live.ts";
import { call, fetchOnce } from "./typed.ts";
import type { User } from "./types.ts";

interface SessionState {
  /** undefined while the session is being read. */
  readonly user: User | null | undefined;
  /** True after the exchange refused a request for want of a valid session while someone was signed in. */
  readonly expired: boolean;
  /** `code`: the second factor's code, for a user who has one (the server asks with SECOND_FACTOR_REQUIRED). */
  signIn(user: string, password: string, code?: string): Promise<User>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
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
        setExpired(true);
        sessionChanged(false);
      }),
    [],
  );

  useEffect(() => {
    fetchOnce("/api/session")
      .then((session) => {
        setCsrfToken(session.csrfToken);
        setUser(session.user);
      })
      .catch(() => setUser(null));
  }, []);

  const signIn = useCallback(async (name: string, password: string, code?: string) => {
    const session = await call(
      "post",
      "/api/session",
      {},
      code === undefined ? { user: name, password } : { user: name, password, code },
    );
    setCsrfToken(session.csrfToken);
    setUser(session.user);
    setExpired(false);
    sessionChanged(true);
    return session.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await call("delete", "/api/session", {}, {});
    } finally {
      setCsrfToken(null);
      setUser(null);
      setExpired(false);
      sessionChanged(false);
    }
  }, []);

  const value = useMemo(() => ({ user, expired, signIn, signOut }), [user, expired, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
