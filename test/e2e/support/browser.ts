/**
 * A real browser for the end-to-end tests: Debian's Chromium (`apt-get install chromium`) driven by playwright-core,
 * headless, with a fresh profile per launch and background networking off (on a closed network Chromium's own
 * connections would otherwise be refused and slow it down). When Chromium is not installed the browser tests are
 * skipped and say so plainly, unless SAUDA_REQUIRE_BROWSER=1 (set by .ci/run), in which case they fail.
 *
 * The tests drive the built web application (web/dist) served by a real exchange server; `ensureWebBuilt` builds it
 * first when it is missing or older than its sources, so `npm test` needs no extra step.
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { TestServer } from "../../support/server.ts";
import { signInOn } from "./forms.ts";

export const CHROMIUM_PATH = process.env.SAUDA_CHROMIUM ?? "/usr/bin/chromium";
export const BROWSER_REQUIRED = process.env.SAUDA_REQUIRE_BROWSER === "1";
export const ROOT = resolve(import.meta.dirname, "../../..");
export const WEB = join(ROOT, "web");
/**
 * Where page screenshots go: docs/screenshots/ (the ones the README shows) when SAUDA_SCREENSHOTS=docs, otherwise a
 * folder under the system's temporary directory, so an ordinary test run leaves the working tree untouched.
 */
export const SCREENSHOTS =
  process.env.SAUDA_SCREENSHOTS === "docs" ? join(ROOT, "docs/screenshots") : join(tmpdir(), "sauda-screenshots");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Call at module level of a browser test file: whether to run, printing why not. */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (BROWSER_REQUIRED) {
    throw new Error(`${suite}: a browser is required (SAUDA_REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} does not exist`);
  }
  process.stderr.write(
    `\nSKIPPED ${suite} in a real browser: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SAUDA_CHROMIUM)\n`,
  );
  return false;
}

/** Playwright gives every launch a fresh temporary profile (user-data-dir) and removes it on close. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than web/src, web/public, index.html or the Vite config. */
export function ensureWebBuilt(): void {
  const built = join(WEB, "dist/index.html");
  const sources = ["src", "public", "index.html", "vite.config.ts"].map((p) => join(WEB, p)).filter(existsSync);
  const sourceMs = Math.max(...sources.map(newestMtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= sourceMs) return;
  // The test runner sets NODE_ENV=test, which would give React's development build; build what `npm ci` builds.
  execFileSync("npm", ["run", "build:web"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
}

/** Writes docs/screenshots/<name>.png of the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** How long a browser suite's teardown may take in all; each step of it gets a share. */
const TEARDOWN_MS = 120_000;
const TEARDOWN_STEP_MS = 30_000;

/** Waits for `work` at most TEARDOWN_STEP_MS; false (and a line on stderr) when it did not finish by then. */
async function boundedStep(what: string, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), TEARDOWN_STEP_MS);
  });
  const finished = await Promise.race([work.then(() => true as const), overran]);
  clearTimeout(timer);
  if (!finished) process.stderr.write(`browser suite: ${what} took over ${TEARDOWN_STEP_MS} ms; forcing it\n`);
  return finished;
}

/**
 * Kills the Chromium processes this test process started (each test file runs in its own process), for a browser that
 * did not close when asked.
 */
function killBrowsers(): void {
  try {
    execFileSync("pkill", ["-KILL", "-P", String(process.pid), "-f", "chrom"]);
  } catch {
    // pkill exits 1 when nothing matched: the browser had gone after all.
  }
}

/** A browser test suite's shared parts: one exchange server and one browser for the suite, and pages opened on it. */
export interface BrowserSuite {
  /** The suite's server (set once the suite has started). */
  readonly server: TestServer;
  /** Opens `path` in a fresh browser context (its own cookies) at `viewport`, in English and Kazakhstan's time. */
  open(path: string, viewport?: Viewport): Promise<Page>;
  /**
   * Opens /login as `open` does, signs `user` in with the test password and, unless the sign-in has landed there, goes
   * to `path` (without one, the page stays where the sign-in lands).
   */
  signIn(user: string, path?: string, viewport?: Viewport): Promise<Page>;
  /** Script errors from any page opened; a suite expects none. */
  readonly pageErrors: string[];
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/**
 * Call inside a `describe`: starts the server (building the web application first when needed) and the browser
 * before the suite's tests and closes everything after them.
 */
export function browserSuite(
  defaultViewport: Viewport,
  /** The server's options (e.g. an SMTP server), given when it starts. */
  serverOptions: () => Parameters<typeof TestServer.start>[0] = () => ({}),
): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await TestServer.start(serverOptions());
    browser = await launchBrowser();
  }, 180_000);

  // Closing is bounded step by step: on a loaded machine a browser that does not answer its close must not hold the
  // suite past the hook's timeout after every test has passed. A step that overruns is said on stderr and forced.
  afterAll(async () => {
    await boundedStep(
      "closing the pages",
      Promise.all(contexts.map((context) => context.close().catch(() => undefined))),
    );
    if (browser && !(await boundedStep("closing the browser", browser.close()))) killBrowsers();
    await server?.close();
  }, TEARDOWN_MS);

  async function open(path: string, viewport: Viewport = defaultViewport): Promise<Page> {
    if (!browser || !server) throw new Error("the browser suite has not started");
    const context = await browser.newContext({ viewport, locale: "en-US", timezoneId: "Asia/Almaty" });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${path}: ${error.message}`));
    // The server's Content-Security-Policy must not block anything the application does (charts, styles, streams).
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
        pageErrors.push(`${path}: ${message.text()}`);
      }
    });
    await page.goto(`${server.url}${path}`);
    return page;
  }

  return {
    get server(): TestServer {
      if (!server) throw new Error("the browser suite has not started");
      return server;
    },
    open,
    async signIn(user: string, path?: string, viewport?: Viewport): Promise<Page> {
      const page = await open("/login", viewport);
      await signInOn(page, user);
      if (path !== undefined && !page.url().endsWith(path)) await page.goto(new URL(path, page.url()).href);
      return page;
    },
    pageErrors,
  };
}
