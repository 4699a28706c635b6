// offline.js: registers the service worker (sw.js, at the site's root) that keeps the site working
// offline once it has been loaded. Offline use is a bonus: without service workers (an old browser,
// a page served over plain http from another machine), or when anything here fails, the page works
// as before (a console.warn at most).

/** The page is up: every resource of the first load has been fetched. */
function loaded() {
  return document.readyState === "complete"
    ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
}

/**
 * Registers sw.js and, once it is active, posts the URLs this page loaded, which the first visit
 * fetched before the worker controlled it. extraUrls: more of them, e.g. the engine's glue and wasm,
 * which its Web Worker fetched (the page's performance entries do not list a worker's requests);
 * or a promise of them, e.g. once the engine is ready, so they come from the HTTP cache.
 * @param {string[] | Promise<string[]>} extraUrls
 * @returns {Promise<boolean>} true once the worker has stored them; never rejects
 */
export async function registerOffline(extraUrls = []) {
  try {
    if (!("serviceWorker" in navigator)) return false;
    // sw.js sits beside index.html, one folder up from js/: its scope is the site's folder.
    await navigator.serviceWorker.register(new URL("../sw.js", import.meta.url));
    const [registration, extra] = await Promise.all([navigator.serviceWorker.ready, extraUrls, loaded()]);
    const urls = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name), ...extra];
    const post = (worker) => {
      const channel = new MessageChannel();
      const done = new Promise((resolve) => {
        channel.port1.onmessage = () => resolve(true);
      });
      worker.postMessage({ type: "cache", urls: urls.map(String) }, [channel.port2]);
      return done;
    };
    // A newer sw.js (a new cache version) starts with an empty cache: tell it too.
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      const worker = navigator.serviceWorker.controller;
      if (worker) post(worker).catch(() => {});
    });
    return await post(registration.active);
  } catch (error) {
    console.warn(`flowlab: offline use is not available (${error && error.message ? error.message : error})`);
    return false;
  }
}
