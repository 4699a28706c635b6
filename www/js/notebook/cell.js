// cell.js: one notebook cell on the page. A code cell is an editor, its Run button, its output
// (streamed text, figures drawn from the core's plot descriptions, a progress bar for its main
// loop, the error with its line marked in the editor) and, in mid and todo, its blanks' checks
// with progressive hints and a solution shown only after asking. Text and question cells are
// typeset once. No maths here: the core runs and checks; this draws what it says.

import { drawFigure, figureHeight } from "../plots/figure.js";
import { renderMarkdown } from "./markdown.js";

/** The marks next to a check, by status. */
const MARKS = { pass: "✓", fail: "✗", missing: "○", pending: "…" };

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A text cell (Markdown with formulas) or a question whose answer is revealed on request. */
export function textCell(doc, cell, renderMath) {
  const root = el(doc, "section", `cell cell-${cell.kind}`);
  root.dataset.cell = cell.id;
  const body = el(doc, "div", "cell-text");
  renderMarkdown(body, cell.text);
  root.append(body);
  if (cell.kind === "question") {
    root.setAttribute("aria-label", "Question");
    const button = el(doc, "button", "secondary reveal", "Reveal the answer");
    button.type = "button";
    const answer = el(doc, "div", "cell-answer");
    answer.hidden = true;
    renderMarkdown(answer, cell.answer ?? "");
    button.addEventListener("click", () => {
      answer.hidden = !answer.hidden;
      button.textContent = answer.hidden ? "Reveal the answer" : "Hide the answer";
      button.setAttribute("aria-expanded", String(!answer.hidden));
    });
    button.setAttribute("aria-expanded", "false");
    root.append(button, answer);
  }
  renderMath(root);
  return root;
}

/** A code cell: editor, output and checks. */
export class CodeCell {
  /**
   * @param {Document} doc
   * @param {object} cell  the core's cell ({id, title, text, extra, blanks})
   * @param {{createEditor: Function, renderMath: Function}} editorModule
   * @param {{text: string, onRun: () => void, onChange: (text: string) => void, onReset: () => void}} options
   */
  constructor(doc, cell, editorModule, { text, onRun, onChange, onReset }) {
    this.id = cell.id;
    this.cell = cell;
    this.doc = doc;
    this.renderMath = editorModule.renderMath;
    this.root = el(doc, "section", "cell cell-code");
    this.root.dataset.cell = cell.id;
    this.root.dataset.state = "idle";

    const head = el(doc, "header", "cell-head");
    const title = el(doc, "h4", "cell-title", cell.title);
    title.id = `cell-title-${cell.id}`;
    this.root.setAttribute("aria-labelledby", title.id);
    head.append(title);
    if (cell.extra) head.append(el(doc, "span", "badge", "extra"));
    this.state = el(doc, "span", "cell-state");
    this.state.setAttribute("aria-live", "polite");
    this.runButton = el(doc, "button", "run-cell", "Run");
    this.runButton.type = "button";
    this.runButton.title = "Run this cell (Shift+Enter)";
    this.runButton.setAttribute("aria-label", `Run “${cell.title}”`);
    this.runButton.addEventListener("click", onRun);
    const reset = el(doc, "button", "secondary reset-cell", "Reset");
    reset.type = "button";
    reset.title = "Put this cell back as the lab ships it (asks first)";
    reset.setAttribute("aria-label", `Reset “${cell.title}”`);
    reset.addEventListener("click", onReset);
    head.append(this.state, reset, this.runButton);

    const editorBox = el(doc, "div", "cell-editor");
    this.editor = editorModule.createEditor(editorBox, {
      doc: text,
      onRun,
      onChange,
      label: `Code of the cell “${cell.title}”`,
    });

    this.checks = el(doc, "ul", "cell-checks");
    this.checks.hidden = cell.blanks.length === 0;
    this.checkItems = new Map(cell.blanks.map((b) => [b.id, this.#checkItem(b)]));
    this.checks.append(...[...this.checkItems.values()].map((item) => item.root));

    this.progress = el(doc, "div", "cell-progress");
    this.progress.hidden = true;
    this.progressBar = el(doc, "progress");
    this.progressBar.max = 1;
    this.progressBar.value = 0;
    this.progressBar.setAttribute("aria-label", `Progress of “${cell.title}”`);
    this.progressText = el(doc, "span", "progress-text");
    this.progress.append(this.progressBar, this.progressText);

    this.output = el(doc, "pre", "cell-output");
    this.output.hidden = true;
    this.figures = el(doc, "div", "cell-figures");
    this.error = el(doc, "pre", "cell-error");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;

    this.root.append(head, editorBox, this.progress, this.output, this.figures, this.error, this.checks);
  }

  get text() {
    return this.editor.text;
  }

  setText(text) {
    this.editor.setText(text);
  }

  /** idle | queued | running | done | failed | stopped; `data-runs` counts the runs started
   *  (tests wait for it to move, not just for a final state). */
  setState(state, words = "") {
    if (state === "running") this.root.dataset.runs = String(Number(this.root.dataset.runs ?? 0) + 1);
    this.root.dataset.state = state;
    this.state.textContent = words;
    this.runButton.disabled = state === "running" || state === "queued";
  }

  /** Clears the output of the last run. */
  clear() {
    this.output.textContent = "";
    this.output.hidden = true;
    this.figures.replaceChildren();
    this.error.textContent = "";
    this.error.hidden = true;
    this.progress.hidden = true;
    this.editor.markError(null);
  }

  /** One slice's report: its text, figures and the main loop's progress. */
  append(report) {
    if (report.text) {
      this.output.append(report.text);
      this.output.hidden = false;
    }
    for (const figure of report.figures) this.#figure(figure);
    if (report.progress) {
      const [done, total] = report.progress;
      this.progress.hidden = false;
      this.progressBar.max = Math.max(1, total);
      this.progressBar.value = done;
      this.progressText.textContent = `${done.toLocaleString("en")} / ${total.toLocaleString("en")}`;
    }
  }

  /** The run ended: its error, if any, under the cell and on its line in the editor. */
  finish(error) {
    this.progress.hidden = true;
    if (!error) return;
    this.error.textContent = `${error.kind}: ${error.rendered}`;
    this.error.hidden = false;
    this.editor.markError(error.line || null, error.message);
  }

  /** The core's verdict on each blank ({blank, status, message}). */
  setCheck(result) {
    const item = this.checkItems.get(result.blank);
    if (!item) return;
    item.root.dataset.status = result.status;
    item.mark.textContent = MARKS[result.status] ?? "?";
    item.message.textContent = result.message;
  }

  /** Marks every check as waiting for the run to end. */
  pendingChecks() {
    for (const item of this.checkItems.values()) {
      item.root.dataset.status = "pending";
      item.mark.textContent = MARKS.pending;
      item.message.textContent = "checked when the cell has run";
    }
  }

  /** The status of each check: {blankId: "pass" | "fail" | "missing" | "pending"}. */
  checkStatus() {
    return Object.fromEntries([...this.checkItems].map(([id, item]) => [id, item.root.dataset.status]));
  }

  #figure(figure) {
    const canvas = el(this.doc, "canvas", "figure");
    canvas.setAttribute("role", "img");
    const titles = (figure.axes ?? []).map((a) => a.title).filter(Boolean);
    canvas.setAttribute("aria-label", titles.length ? `Figure: ${titles.join(", ")}` : "Figure");
    this.figures.append(canvas);
    const draw = () => {
      const width = canvas.clientWidth || this.figures.clientWidth || 640;
      canvas.style.height = `${figureHeight(figure, width)}px`;
      drawFigure(canvas, figure);
    };
    draw();
    new ResizeObserver(() => draw()).observe(canvas);
  }

  #checkItem(blank) {
    const doc = this.doc;
    const root = el(doc, "li", "check");
    root.dataset.blank = blank.id;
    root.dataset.status = "missing";
    const line = el(doc, "div", "check-line");
    const mark = el(doc, "span", "check-mark", MARKS.missing);
    mark.setAttribute("aria-hidden", "true");
    const title = el(doc, "strong", "check-title", blank.title);
    const message = el(doc, "span", "check-message", "not run yet");
    const hintButton = el(doc, "button", "secondary hint", "Hint");
    hintButton.type = "button";
    const solutionButton = el(doc, "button", "secondary solution", "Show solution");
    solutionButton.type = "button";
    line.append(mark, title, message, hintButton, solutionButton);

    const hints = el(doc, "ol", "check-hints");
    let shown = 0;
    hintButton.addEventListener("click", () => {
      if (shown >= blank.hints.length) return;
      const li = el(doc, "li", "", blank.hints[shown]);
      hints.append(li);
      this.renderMath(li);
      shown += 1;
      hintButton.textContent = shown < blank.hints.length ? "Another hint" : "No more hints";
      hintButton.disabled = shown >= blank.hints.length;
    });

    // The solution asks first: one click shows the question, a second one the code.
    const ask = el(doc, "div", "check-ask");
    ask.hidden = true;
    const askText = el(doc, "span", "", "Show the solution? Try the hints first: writing it yourself is the point.");
    const yes = el(doc, "button", "reveal-solution", "Show it");
    yes.type = "button";
    const no = el(doc, "button", "secondary", "Not yet");
    no.type = "button";
    ask.append(askText, yes, no);
    const solution = el(doc, "pre", "check-solution", blank.solution);
    solution.hidden = true;
    solutionButton.addEventListener("click", () => {
      ask.hidden = false;
      yes.focus();
    });
    no.addEventListener("click", () => {
      ask.hidden = true;
      solutionButton.focus();
    });
    yes.addEventListener("click", () => {
      ask.hidden = true;
      solution.hidden = false;
      solutionButton.disabled = true;
    });

    root.append(line, hints, ask, solution);
    return { root, mark, message };
  }
}
