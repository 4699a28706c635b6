// editor.js: the notebook's code editor (CodeMirror 6, Python) and math typesetting (KaTeX).
//
// Not served as is: scripts/build-vendor.sh bundles it with its npm imports into
// vendor/editor.js (a trunk build hook), and copies KaTeX's stylesheet and fonts to
// vendor/katex/. It lives outside www/js because trunk copies that folder verbatim, and a
// browser cannot resolve bare imports like "@codemirror/view".

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab, isolateHistory } from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, Prec, RangeSet, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  GutterMarker,
  gutterLineClass,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  logException,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import katex from "katex";

// ---- the editor ----

// Token colours as CSS variables, so one HighlightStyle serves the light and the dark page
// (GitHub's palettes; both readable on the page's --bg).
const highlightStyle = HighlightStyle.define([
  { tag: t.keyword, color: "var(--code-keyword)" },
  { tag: [t.bool, t.null, t.number], color: "var(--code-literal)" },
  { tag: [t.string, t.special(t.string)], color: "var(--code-string)" },
  { tag: t.escape, color: "var(--code-literal)" },
  { tag: t.comment, color: "var(--code-comment)", fontStyle: "italic" },
  { tag: [t.function(t.definition(t.variableName)), t.function(t.variableName)], color: "var(--code-function)" },
  { tag: [t.definition(t.className), t.meta], color: "var(--code-class)" },
  { tag: t.function(t.propertyName), color: "var(--code-function)" },
  { tag: t.modifier, color: "var(--code-keyword)" },
  { tag: t.invalid, color: "var(--error-fg, #cf222e)" },
]);

// Page variables (www/css/flowlab.css) with system-colour fallbacks, so the editor also looks
// right on a page without them. No drawSelection(): the native selection and caret follow
// `color-scheme` by themselves.
const theme = EditorView.theme({
  "&": {
    color: "var(--fg, CanvasText)",
    backgroundColor: "var(--bg, Canvas)",
    border: "1px solid var(--border, GrayText)",
    borderRadius: "6px",
  },
  "&.cm-focused": {
    outline: "3px solid var(--focus, Highlight)",
    outlineOffset: "2px",
  },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    lineHeight: "1.5",
  },
  ".cm-content": {
    caretColor: "var(--fg, CanvasText)",
    "--code-keyword": "#cf222e",
    "--code-literal": "#0550ae",
    "--code-string": "#0a3069",
    "--code-comment": "#59636e",
    "--code-function": "#8250df",
    "--code-class": "#953800",
  },
  "@media (prefers-color-scheme: dark)": {
    ".cm-content": {
      "--code-keyword": "#ff7b72",
      "--code-literal": "#79c0ff",
      "--code-string": "#a5d6ff",
      "--code-comment": "#9198a1",
      "--code-function": "#d2a8ff",
      "--code-class": "#ffa657",
    },
  },
  ".cm-gutters": {
    backgroundColor: "var(--surface, Canvas)",
    color: "var(--muted, GrayText)",
    borderRight: "1px solid var(--border, GrayText)",
    borderRadius: "6px 0 0 6px",
  },
  // Translucent grey and blue: visible on both backgrounds.
  ".cm-activeLine": { backgroundColor: "rgb(127 127 127 / 0.08)" },
  ".cm-activeLineGutter": { backgroundColor: "rgb(127 127 127 / 0.16)", color: "var(--fg, CanvasText)" },
  "&.cm-focused .cm-matchingBracket": {
    backgroundColor: "rgb(68 147 248 / 0.25)",
    outline: "1px solid rgb(68 147 248 / 0.7)",
  },
  "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "rgb(248 81 73 / 0.3)" },
  ".cm-error-line": {
    backgroundColor: "rgb(248 81 73 / 0.16)",
    boxShadow: "inset 3px 0 0 var(--error-border, #cf222e)",
  },
  ".cm-error-gutter": {
    backgroundColor: "var(--error-border, #cf222e)",
    color: "var(--bg, Canvas)",
  },
});

/** markError's line: {from, message} (from: the line's start), or null. */
const setError = StateEffect.define();

class ErrorGutterMarker extends GutterMarker {
  constructor() {
    super();
    this.elementClass = "cm-error-gutter";
  }
}
const errorGutterMarker = new ErrorGutterMarker();

const errorMark = StateField.define({
  create: () => null,
  update(mark, tr) {
    let set = false;
    for (const effect of tr.effects) {
      if (effect.is(setError)) {
        mark = effect.value;
        set = true;
      }
    }
    // Any edit clears it: the message describes code that no longer exists.
    return tr.docChanged && !set ? null : mark;
  },
  provide: (field) => [
    EditorView.decorations.from(field, (mark) => {
      if (!mark) return Decoration.none;
      const attributes = mark.message ? { title: mark.message } : {};
      return Decoration.set(Decoration.line({ class: "cm-error-line", attributes }).range(mark.from));
    }),
    gutterLineClass.from(field, (mark) => (mark ? RangeSet.of(errorGutterMarker.range(mark.from)) : RangeSet.empty)),
  ],
});

/**
 * A Python editor in `parent`.
 * @param {HTMLElement} parent
 * @param {{doc?: string, onRun?: () => void, onChange?: (text: string) => void, label?: string}} options
 *   onRun: called on Shift-Enter and Mod-Enter (without onRun those keys insert a newline);
 *   onChange: after every change of the text; label: the aria-label of the text area
 */
export function createEditor(parent, { doc = "", onRun, onChange, label } = {}) {
  const runKeys = [];
  if (onRun) {
    const run = (view) => {
      try {
        onRun();
      } catch (error) {
        logException(view.state, error);
      }
      return true;
    };
    runKeys.push({ key: "Shift-Enter", run }, { key: "Mod-Enter", run });
  }
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    pythonLanguage,
    syntaxHighlighting(highlightStyle),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    // Above defaultKeymap, which binds Mod-Enter to insertBlankLine. Escape then Tab still
    // moves the focus on (CodeMirror's tab focus mode), despite indentWithTab.
    Prec.highest(keymap.of(runKeys)),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    errorMark,
    theme,
  ];
  if (label) extensions.push(EditorView.contentAttributes.of({ "aria-label": label }));
  if (onChange) {
    extensions.push(
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    );
  }
  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions }) });

  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    /** Replaces the whole text as one undo step (never merged with the typing before it). */
    setText(text) {
      const insert = String(text);
      if (insert === view.state.doc.toString()) return;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert },
        annotations: isolateHistory.of("full"),
      });
    },
    focus() {
      view.focus();
    },
    /**
     * Highlights 1-based line `line` (clamped to the text) and scrolls to it; the next edit
     * clears it. `message` becomes the line's tooltip and is read out by screen readers.
     * markError(null) clears it (so does any line that is not a number).
     */
    markError(line, message = "") {
      const number = Number(line);
      if (line === null || line === undefined || !Number.isFinite(number)) {
        view.dispatch({ effects: setError.of(null) });
        return;
      }
      const { doc } = view.state;
      const at = doc.line(Math.min(Math.max(1, Math.trunc(number)), doc.lines));
      const effects = [
        setError.of({ from: at.from, message: String(message) }),
        EditorView.scrollIntoView(at.from, { y: "center" }),
      ];
      if (message) effects.push(EditorView.announce.of(`Error on line ${at.number}: ${message}`));
      view.dispatch({ effects });
    },
    destroy() {
      view.destroy();
    },
  };
}

// ---- math ----

const KATEX_CSS = new URL("./katex/katex.min.css", import.meta.url).href;
const KATEX_OPTIONS = { throwOnError: false };
// Text under these is never typeset: code, and math already rendered.
const NO_MATH = "code, pre, kbd, samp, script, style, textarea, .katex, .cm-editor";

/** Adds KaTeX's stylesheet (next to this bundle) to `doc`, once. */
function addStylesheet(doc = document) {
  if ([...doc.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === KATEX_CSS)) return;
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.href = KATEX_CSS;
  doc.head.append(link);
}

/** KaTeX's HTML for `tex` (errors are shown in red inside it, never thrown). */
export function renderTex(tex, { display = false } = {}) {
  addStylesheet();
  return katex.renderToString(String(tex), { ...KATEX_OPTIONS, displayMode: display });
}

/**
 * Where inline math closes: the index of the `$` ending the math that starts at `start`, or
 * -1. Pandoc's rule, so prices stay text ("$5 and $10"): no space after the opening `$` or
 * before the closing one, and no digit right after the closing one.
 */
function inlineEnd(text, start) {
  if (start >= text.length || /\s/.test(text[start])) return -1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
    } else if (text[i] === "$") {
      if (i > start && !/\s/.test(text[i - 1]) && !/\d/.test(text[i + 1] ?? "")) return i;
      return -1;
    }
  }
  return -1;
}

/** `text` as plain strings and {tex, display} pieces, or null if it holds no math or `\$`. */
function splitMath(text) {
  if (!text.includes("$")) return null;
  const pieces = [];
  let plain = "";
  let changed = false;
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("\\$", i)) {
      plain += "$";
      i += 2;
      changed = true;
      continue;
    }
    if (text[i] === "$") {
      const display = text[i + 1] === "$";
      const end = display ? text.indexOf("$$", i + 2) : inlineEnd(text, i + 1);
      const tex = end < 0 ? "" : text.slice(i + (display ? 2 : 1), end);
      if (tex.trim()) {
        if (plain) pieces.push(plain);
        pieces.push({ tex, display });
        plain = "";
        i = end + (display ? 2 : 1);
        changed = true;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) pieces.push(plain);
  return changed ? pieces : null;
}

/**
 * Typesets the `$...$` (inline) and `$$...$$` (display) math in the text of `element` with
 * KaTeX; `\$` is a literal dollar. Each formula must sit in one text node (no markup inside).
 * Skips code, pre and editors. Returns how many formulas it rendered.
 */
export function renderMath(element) {
  const doc = element.ownerDocument;
  const walker = doc.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.data.includes("$") && !node.parentElement?.closest(NO_MATH)
        ? NodeFilter.FILTER_ACCEPT
        : NodeFilter.FILTER_SKIP,
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let count = 0;
  for (const node of nodes) {
    const pieces = splitMath(node.data);
    if (!pieces) continue;
    const parts = pieces.map((piece) => {
      if (typeof piece === "string") return piece;
      const span = doc.createElement("span");
      katex.render(piece.tex, span, { ...KATEX_OPTIONS, displayMode: piece.display });
      count++;
      return span;
    });
    node.replaceWith(...parts);
  }
  if (count > 0) addStylesheet(doc);
  return count;
}
