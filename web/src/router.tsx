/**
 * Page addresses: the application has five pages and a sign-in form, so a path and the browser's history are all the
 * routing it needs (the server answers every non-API path with index.html).
 */

import { type MouseEvent, type ReactNode, useSyncExternalStore } from "react";

import type { Role } from "./api/types.ts";

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener("popstate", notify);

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  notify();
  window.scrollTo(0, 0);
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => location.pathname,
  );
}

export function Link({
  to,
  children,
  className,
  current,
}: {
  to: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={current ? "page" : undefined}>
      {children}
    </a>
  );
}

/** Where a role lands after signing in. */
export function homeOf(role: Role): string {
  return role === "regulator" ? "/regulator" : role === "operator" ? "/operator" : "/terminal";
}
