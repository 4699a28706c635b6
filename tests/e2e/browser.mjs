// browser.mjs: headless Debian Chromium driven by playwright-core (which never downloads a browser).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps trying to reach Google's hosts,
// which this machine's closed network refuses.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts Chromium with a fresh profile and opens one page that records what goes wrong.
 * @param {{serviceWorkers?: "block" | "allow"}} options  the offline service worker (www/sw.js)
 *   is blocked unless allowed: with it, later loads come from its cache, so tests of what the page
 *   requests, or of a file that fails to load (page.route never sees a service worker's fetch),
 *   would test the cache instead (hosting.test.mjs tests it)
 * @returns {Promise<{page, errors: string[], close: () => Promise<void>}>}
 *   errors: console errors, uncaught page errors (page and workers) and HTTP errors, in order
 */
export async function launch({ serviceWorkers = "block" } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), "flowlab-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 900, height: 640 },
      serviceWorkers,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  // Playwright reports the workers' console messages here too.
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  // A failed load logs only "Failed to load resource": keep the URL next to it.
  context.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    page,
    errors,
    close: async () => {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
