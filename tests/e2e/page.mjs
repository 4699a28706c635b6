// page.mjs: the set-up most end-to-end suites share: the built dist/ served on a free port and
// one Chromium page, started before the suite's tests and closed after them on every path.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

export const DIST = fileURLToPath(new URL("../../dist", import.meta.url));

/**
 * Registers the suite's before/after hooks -> an object whose `server` ({url, requests}),
 * `browser` ({page, errors, close}) and `page` are set once the suite starts.
 */
export function usePage() {
  const ctx = { server: null, browser: null, page: null };
  before(async () => {
    assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html is missing: run trunk build first`);
    ctx.server = await serve(DIST);
    ctx.browser = await launch();
    ctx.page = ctx.browser.page;
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}
