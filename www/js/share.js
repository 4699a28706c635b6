// share.js: an attendee's cells inside a link, with no server: `#mode=todo&cells=...`, where
// `cells` is {cellId: code} as JSON, deflate-compressed (the browser's CompressionStream) and
// base64url-encoded. Pure functions over strings (no DOM), so node tests them.
//
// A link is user input: it may be cut short by a mail program, damaged, or made huge on purpose.
// decodeCells never throws anything but a ShareError whose message says what is wrong in plain
// words, and it stops reading past MAX_CELLS_BYTES of decompressed text (a small link can
// inflate to gigabytes).

/** The longest `cells=` value read, in characters (about 48 kB of compressed code). */
export const MAX_LINK_CHARS = 65_536;
/** The most decompressed bytes read from a link (an exported lab is about 12 kB). */
export const MAX_CELLS_BYTES = 1 << 20;
const FORMAT = "deflate-raw";
/** The first byte of the encoded payload: the version of this format. */
const VERSION = "1";

export class ShareError extends Error {
  name = "ShareError";
}

/**
 * Takes the `cells=` part out of a hash -> {hash: the rest (no leading #), cells: the encoded
 * value or null}. The rest is what state.js parses as settings.
 */
export function extractCells(hash) {
  const text = String(hash ?? "").replace(/^#/, "");
  let cells = null;
  const rest = [];
  for (const part of text.split("&")) {
    if (part.startsWith("cells=")) cells = part.slice("cells=".length);
    else if (part !== "") rest.push(part);
  }
  return { hash: rest.join("&"), cells };
}

/** {cellId: code} -> the `cells=` value. */
export async function encodeCells(cells) {
  const json = new TextEncoder().encode(JSON.stringify(cells));
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream(FORMAT));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return VERSION + toBase64Url(bytes);
}

/**
 * The `cells=` value -> {cellId: code}; a ShareError for anything that is not a link this page
 * wrote (cut short, damaged, too large, an unknown version).
 */
export async function decodeCells(value) {
  const text = String(value ?? "");
  if (text.length > MAX_LINK_CHARS) {
    throw new ShareError(`the code in this link is too long (${text.length.toLocaleString("en")} characters, at most ${MAX_LINK_CHARS.toLocaleString("en")})`);
  }
  if (text === "") throw new ShareError("the link's cells= part is empty");
  if (text[0] !== VERSION) throw new ShareError("the code in this link was written by another version of flowlab, or the link is damaged");
  const bytes = fromBase64Url(text.slice(1));
  const json = await inflate(bytes);
  let cells;
  try {
    cells = JSON.parse(json);
  } catch {
    throw new ShareError("the code in this link is damaged (it does not decode)");
  }
  if (cells === null || typeof cells !== "object" || Array.isArray(cells)) {
    throw new ShareError("the code in this link is damaged (not a set of cells)");
  }
  const out = {};
  for (const [id, code] of Object.entries(cells)) {
    if (typeof code !== "string") throw new ShareError(`the code in this link is damaged (cell ${JSON.stringify(id.slice(0, 40))} is not text)`);
    out[id] = code;
  }
  return out;
}

async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(FORMAT)).getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_CELLS_BYTES) {
        await reader.cancel();
        throw new ShareError(`the code in this link is too large (over ${MAX_CELLS_BYTES.toLocaleString("en")} bytes)`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ShareError) throw error;
    throw new ShareError("the code in this link is cut short or damaged: was the whole link copied?");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer());
  } catch {
    throw new ShareError("the code in this link is damaged (not text)");
  }
}

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError("the code in this link is damaged (unexpected characters)");
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((text.length + 3) % 4);
  let binary;
  try {
    binary = atob(padded);
  } catch {
    throw new ShareError("the code in this link is cut short or damaged: was the whole link copied?");
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
