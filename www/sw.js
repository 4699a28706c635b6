// sw.js: the service worker that lets flowlab work offline once it has been loaded. It sits at
// the site's root (index.html copies it there unhashed; the browser revalidates it itself), so
// its scope is the folder the site lives in, whatever the path (https://example.org/course/flowlab/).
//
// Files with a content hash in their name (flowlab-HASH.js, flowlab-HASH_bg.wasm, flowlab-HASH.css,
// favicon-HASH.svg, flowlab-lab-HASH...) never change: cache first. Everything else in scope
// (index.html, ./, lab.json, js/*.js, vendor/*) changes with each build: network first, the cache
// when the network fails. Only complete (200) same-origin GET responses are stored.
//
// The first visit is loaded before this worker controls the page, so the page posts the URLs it
// loaded (js/offline.js) and they are stored then. Messages: {type: "cache", urls} stores them;
// {type: "cached"} only asks; both are answered {type: "cached", urls: [what the cache holds]} on
// the message's port. The benchmark page (bench.html) is left to the network.

// Bump to drop every file cached by an older version of this worker.
const VERSION = "flowlab-v1";
// One cache per site folder: two flowlab copies on one origin never delete each other's files.
const CACHE = `${VERSION} ${self.registration.scope}`;
const HASHED = /-[0-9a-f]{16}(?:_bg\.wasm|\.js|\.css|\.svg)$/;
// The benchmark page measures the network: it and what it asks for bypass the cache.
const BENCH = /\/bench\.html(?:\?|$)/;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const scope = ` ${self.registration.scope}`;
      for (const key of await caches.keys()) {
        if (key.startsWith("flowlab-") && key.endsWith(scope) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim(); // the first visit's page (and its engine worker) without a reload
    })(),
  );
});

/** Ours to handle: a plain GET in scope, not this script, not the benchmark page nor what it asks
 *  for, not "no-store". */
function handled(request) {
  const url = new URL(request.url);
  return (
    request.method === "GET" &&
    request.url.startsWith(self.registration.scope) &&
    url.href !== self.location.href &&
    !BENCH.test(url.pathname) &&
    !BENCH.test(request.referrer) &&
    request.cache !== "no-store" &&
    request.cache !== "only-if-cached" &&
    !request.headers.has("range")
  );
}

/** A response worth keeping: complete, same-origin, not a redirect (a navigation cannot use one). */
function storable(response) {
  return response.status === 200 && response.type === "basic" && !response.redirected;
}

self.addEventListener("fetch", (event) => {
  if (!handled(event.request)) return; // the browser's own fetch
  event.respondWith(respond(event));
});

async function respond(event) {
  const request = event.request;
  // A cache that cannot be opened (storage off, quota) leaves the network as it was.
  const cache = await caches.open(CACHE).catch(() => null);
  if (cache && HASHED.test(new URL(request.url).pathname)) {
    const cached = await cache.match(request).catch(() => undefined);
    if (cached) return cached;
  }
  try {
    const response = await fetch(request);
    if (cache && storable(response)) event.waitUntil(cache.put(request, response.clone()).catch(warn));
    return response;
  } catch (error) {
    const cached = cache && (await fallback(cache, request).catch(() => undefined));
    if (cached) return cached;
    throw error;
  }
}

/** Offline: the stored copy; a page at any address in scope gets index.html. */
async function fallback(cache, request) {
  const scope = self.registration.scope;
  return (
    (await cache.match(request)) ??
    (request.mode === "navigate"
      ? ((await cache.match(request, { ignoreSearch: true })) ??
        (await cache.match(scope)) ??
        (await cache.match(new URL("index.html", scope).href)))
      : undefined)
  );
}

self.addEventListener("message", (event) => {
  const { type, urls } = event.data ?? {};
  const reply = (message) => (event.ports[0] ?? event.source)?.postMessage(message);
  if (type === "cache") event.waitUntil(store(Array.isArray(urls) ? urls : []).catch(warn).then(cachedUrls).then(reply));
  else if (type === "cached") event.waitUntil(cachedUrls().then(reply));
});

async function cachedUrls() {
  const cache = await caches.open(CACHE);
  return { type: "cached", urls: (await cache.keys()).map((request) => request.url) };
}

/** Stores what the page loaded before this worker controlled it: from the HTTP cache if it can. */
async function store(urls) {
  const cache = await caches.open(CACHE);
  const wanted = new Set();
  for (const url of urls) {
    try {
      const clean = new URL(url, self.registration.scope);
      clean.hash = "";
      if (handled(new Request(clean))) wanted.add(clean.href);
    } catch {} // not a URL: skip it
  }
  const results = await Promise.allSettled(
    [...wanted].map(async (url) => {
      if (/\/lab\.json$/.test(new URL(url).pathname)) return storeLab(cache, url);
      if (await cache.match(url)) return;
      const response = await fetch(url, { cache: HASHED.test(url) ? "force-cache" : "default" });
      if (storable(response)) await cache.put(url, response);
    }),
  );
  const failed = results.filter((result) => result.status === "rejected");
  if (failed.length) {
    warn(`${failed.length} of ${wanted.size} files not stored (${failed[0].reason?.message ?? failed[0].reason})`);
  }
}

/** lab.json and the lab module it names, only if the engine's worker has loaded them already (the
 *  HTTP cache has them): the Transport view alone never downloads the lab module. */
async function storeLab(cache, url) {
  const cachedOnly = async (u) =>
    (await cache.match(u)) ?? fetch(u, { cache: "only-if-cached", mode: "same-origin" }).catch(() => Response.error());
  const manifest = await cachedOnly(url);
  if (!storable(manifest)) return;
  const { glue, wasm } = await manifest.clone().json();
  const files = [glue, wasm].map((name) => new URL(name, url).href);
  const responses = await Promise.all(files.map(cachedOnly));
  if (!responses.every(storable)) return;
  await Promise.all([cache.put(url, manifest), ...files.map((file, i) => cache.put(file, responses[i]))]);
}

function warn(error) {
  console.warn(`flowlab offline cache: ${error && error.message ? error.message : error}`);
}
