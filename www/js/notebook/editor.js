// editor.js: the cells' code editor and the text cells' formulas, from the bundle that the build
// makes out of CodeMirror 6 and KaTeX (www/bundle/editor.js -> vendor/editor.js). If that bundle
// cannot be loaded, a plain textarea with the same interface stands in (and formulas stay as
// TeX), so the notebook still works.

let loading = null;

/** The bundle's module ({createEditor, renderMath}), or the fallback; loaded once. */
export function loadEditor() {
  loading ??= import(new URL("../../vendor/editor.js", import.meta.url).href).catch((error) => {
    console.warn(`flowlab: the code editor could not be loaded (${error.message}); using a plain text area`);
    return { createEditor: plainEditor, renderMath: () => {}, fallback: true };
  });
  return loading;
}

/**
 * A textarea with the bundle's editor interface: text, setText, focus, markError, destroy.
 * Shift+Enter (or Ctrl/Cmd+Enter) runs; Tab inserts four spaces.
 */
function plainEditor(parent, { doc = "", onRun, onChange, label } = {}) {
  const area = parent.ownerDocument.createElement("textarea");
  area.className = "plain-editor";
  area.spellcheck = false;
  area.value = doc;
  area.rows = Math.max(3, doc.split("\n").length);
  if (label) area.setAttribute("aria-label", label);
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun?.();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      area.setRangeText("    ", area.selectionStart, area.selectionEnd, "end");
      onChange?.(area.value);
    }
  });
  area.addEventListener("input", () => {
    area.classList.remove("has-error");
    onChange?.(area.value);
  });
  parent.append(area);
  return {
    get text() {
      return area.value;
    },
    setText(text) {
      area.value = text;
      onChange?.(text);
    },
    focus: () => area.focus(),
    markError(line, message) {
      area.classList.toggle("has-error", line != null);
      area.title = line != null ? `line ${line}: ${message ?? ""}` : "";
    },
    destroy: () => area.remove(),
    view: null,
  };
}
