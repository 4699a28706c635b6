// markdown.js: the lab's text cells as DOM, from the small Markdown they are written in
// (crate/src/lab/flow_matching.py): `#`/`##`/`###` headings, paragraphs, `code`, **bold**,
// *emphasis*, and $...$ / $$...$$ formulas left as text for KaTeX (renderMath) to typeset.
// Everything goes in through textContent: the lab's text is never parsed as HTML.

/**
 * Appends the rendered blocks of `text` to `parent`.
 * @param {HTMLElement} parent
 * @param {string} text
 */
export function renderMarkdown(parent, text) {
  const doc = parent.ownerDocument;
  for (const block of blocks(text)) {
    const heading = /^(#{1,3}) (.*)$/.exec(block);
    if (heading) {
      // the page's own h1 and the view's h2 come first: `#` is an h3
      const h = doc.createElement(`h${Math.min(heading[1].length + 2, 6)}`);
      inline(h, heading[2]);
      parent.append(h);
    } else {
      const p = doc.createElement("p");
      inline(p, block);
      parent.append(p);
    }
  }
}

/** Blocks: runs of lines between empty lines; a heading is a block of its own. A $$ formula
 *  spanning lines stays in one block. */
function blocks(text) {
  const out = [];
  let current = [];
  let inDisplay = false;
  const flush = () => {
    if (current.length) out.push(current.join(" "));
    current = [];
  };
  for (const line of text.split("\n")) {
    if (!inDisplay && line.trim() === "") {
      flush();
      continue;
    }
    if (!inDisplay && /^#{1,3} /.test(line)) {
      flush();
      out.push(line);
      continue;
    }
    current.push(line.trim());
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDisplay = !inDisplay;
  }
  flush();
  return out;
}

/** `code`, **bold** and *emphasis* inside a block; everything else (formulas too) as text. */
function inline(parent, text) {
  const doc = parent.ownerDocument;
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|(?<![\w$\\])\*([^*\s][^*]*)\*(?!\w)/g;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) parent.append(doc.createTextNode(text.slice(at, m.index)));
    const [tag, content] = m[1] !== undefined ? ["code", m[1]] : m[2] !== undefined ? ["strong", m[2]] : ["em", m[3]];
    const el = doc.createElement(tag);
    el.textContent = content;
    parent.append(el);
    at = m.index + m[0].length;
  }
  if (at < text.length) parent.append(doc.createTextNode(text.slice(at)));
}
