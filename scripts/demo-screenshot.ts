/**
 * Takes the README's picture: the public market board of a running demo exchange, in Debian's Chromium.
 *
 *   npm start                      # in one terminal; let the demo members trade for a few minutes
 *   node --import tsx scripts/demo-screenshot.ts [URL] [FILE]
 *
 * URL defaults to http://127.0.0.1:8080 and FILE to docs/screenshots/demo-board.png. SAUDA_CHROMIUM names another
 * browser binary. The page is shot once its live connection is up and the board has rows.
 */

import { chromium } from "playwright-core";

const url = process.argv[2] ?? "http://127.0.0.1:8080";
const file = process.argv[3] ?? "docs/screenshots/demo-board.png";
const VIEWPORT = { width: 1280, height: 900 };
const WAIT_MS = 15_000;

const browser = await chromium.launch({
  executablePath: process.env.SAUDA_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  headless: true,
});
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(url);
  await page.locator(".live-open").waitFor({ timeout: WAIT_MS });
  await page.locator("table tbody tr").first().waitFor({ timeout: WAIT_MS });
  // Let the chart draw its candles after the first data arrives.
  await page.waitForLoadState("networkidle", { timeout: WAIT_MS }).catch(() => undefined);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}`);
} finally {
  await browser.close();
}
