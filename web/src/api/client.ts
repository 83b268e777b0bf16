/**
 * HTTP with the exchange, beneath the typed API (typed.ts): JSON in and out, the session cookie sent by the browser
 * itself, the CSRF token echoed on every unsafe request, and every failure turned into an `ApiError` that carries the
 * server's error code, sentence and details (`{error:{code,message,details}}`), so a form can show it beside the field
 * it concerns. Nothing here knows about pages or routes.
 */

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Longest a request may take before the browser gives up on it; the exchange answers in milliseconds. */
export const REQUEST_TIMEOUT_MS = 15_000;

let csrfToken: string | null = null;

/** Set after sign-in or on reading the session; sent as X-CSRF-Token with POST, PATCH and DELETE. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const unauthorizedListeners = new Set<() => void>();

/** Calls `listener` whenever the exchange refuses a request for want of a valid session (401). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Tells the listeners that a request was refused for want of a valid session. */
export function reportUnauthorized(): void {
  for (const listener of unauthorizedListeners) listener();
}

let requestLanguage: string | null = null;

/** The reader's language, sent as Accept-Language so the server's sentences (errors, rejections) come in it. */
export function setRequestLanguage(language: string | null): void {
  requestLanguage = language;
}

/** The Accept-Language header every request carries once a language is chosen. */
export function languageHeader(): Record<string, string> {
  return requestLanguage === null ? {} : { "accept-language": requestLanguage };
}

/** The CSRF header an unsafe request carries (none for GET and HEAD, or before sign-in). */
export function csrfHeader(method: string): Record<string, string> {
  return method !== "GET" && method !== "HEAD" && csrfToken !== null ? { "x-csrf-token": csrfToken } : {};
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, csrfHeader(method), languageHeader());
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, "NETWORK", `The exchange did not answer (${reason}).`, { reason });
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) throw refusalOf(response.status, parsed);
  return parsed as T;
}

/** The ApiError of a refused answer, from its `{"error": {code, message, details}}` body when it has one. */
function refusalOf(status: number, parsed: unknown): ApiError {
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return new ApiError(
    status,
    typeof error?.code === "string" ? error.code : `HTTP_${status}`,
    typeof error?.message === "string" ? error.message : `The exchange answered ${status}.`,
    typeof error?.details === "object" && error.details !== null ? (error.details as ErrorDetails) : {},
  );
}

/**
 * A document (PDF, XLSX) of an address built by api/typed.ts (`apiPath`), with the file name the exchange gives it.
 * A refusal throws an ApiError like any request, so a page can say why instead of the browser saving the refusal's
 * JSON as a file.
 */
export async function fetchFile(path: string): Promise<{ readonly blob: Blob; readonly fileName: string | null }> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: languageHeader(),
      credentials: "same-origin",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, "NETWORK", `The exchange did not answer (${reason}).`, { reason });
  }
  if (!response.ok) {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(await response.text());
    } catch {
      parsed = null;
    }
    const refusal = refusalOf(response.status, parsed);
    if (refusal.status === 401 && refusal.code === "AUTH_REQUIRED") reportUnauthorized();
    throw refusal;
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), fileName };
}

/** A GET of an address built by api/typed.ts (`apiPath`); live.ts keeps such resources fresh. Changes go through typed.ts. */
export const get = <T>(path: string) => request<T>("GET", path);

/** Whether an endpoint exists on this server (404 NOT_FOUND means the route is not there yet). */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === "NOT_FOUND";
}
