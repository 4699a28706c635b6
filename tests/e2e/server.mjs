// server.mjs: a static file server for the built page (dist/), on 127.0.0.1 and a free port.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm", // instantiateStreaming insists on this
  ".woff2": "font/woff2",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves `root` until close() is called.
 * @param {string} root  folder to serve; "/" maps to index.html
 * @param {{prefix?: string}} options  prefix: the path the folder is served under, as a site
 *   hosted in a sub-folder ("/course/flowlab/"); anything outside it is 404
 * @returns {Promise<{url: string, requests: string[], close: () => Promise<void>}>}  url ends
 *   with "/" (and the prefix); requests: the path of every request so far, in order (tests may
 *   empty it)
 */
export async function serve(root, { prefix = "/" } = {}) {
  const base = resolve(root);
  const mount = `/${prefix.replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
  const requests = [];
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, "http://localhost");
      requests.push(pathname);
      if (!pathname.startsWith(mount)) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      let path = resolve(join(base, decodeURIComponent(pathname.slice(mount.length - 1))));
      if (path !== base && !path.startsWith(base + sep)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res.writeHead(200, {
        "content-type": MIME[extname(path)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      const missing = error.code === "ENOENT" || error.code === "EISDIR";
      res.writeHead(missing ? 404 : 500, { "content-type": "text/plain" }).end(missing ? "not found" : String(error));
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
