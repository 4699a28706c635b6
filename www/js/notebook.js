// notebook.js: the Lab view, the workshop's lab as a notebook. The core gives the cells of the
// chosen mode (full, mid or todo: crate/src/lab/flow_matching.py, derived by the core); this
// file lays them out, runs them one at a time in the worker's lab-language session (Run, Shift+
// Enter, Run all, Stop, Restart), shows what they print and plot, and after a cell with blanks
// has run, asks the core to check each blank. Edits are kept in localStorage, per mode.

import { CodeCell, textCell } from "./notebook/cell.js";
import { loadEditor } from "./notebook/editor.js";

export const MODES = Object.freeze(["full", "mid", "todo"]);

/** Where an attendee's edits are kept, per mode. */
const STORAGE_PREFIX = "flowlab.lab.v1.";
const SAVE_DELAY_MS = 300;

/** Edits of one mode: {cells: {id: text}, saved: ms}; never throws (storage may be off or full). */
const storage = {
  read(mode) {
    try {
      const value = JSON.parse(localStorage.getItem(STORAGE_PREFIX + mode) ?? "null");
      return value && typeof value.cells === "object" && value.cells !== null ? value : null;
    } catch {
      return null;
    }
  },
  write(mode, cells) {
    try {
      localStorage.setItem(STORAGE_PREFIX + mode, JSON.stringify({ cells, saved: Date.now() }));
      return true;
    } catch {
      return false;
    }
  },
};

export class Notebook {
  #api;
  #el;
  #mode;
  /** The cells on the page, in order: CodeCell or {id, kind, root} for text. */
  #cells = [];
  /** The core's cells of the current mode (for their original text). */
  #source = [];
  #loaded = null;
  /** Runs wait here, so that cells run one at a time in the order asked. */
  #queue = Promise.resolve();
  /** Bumped by Stop and Restart: queued runs of an older generation are dropped. */
  #generation = 0;
  #running = null;
  #saveTimer = null;
  /** Called with the mode when the attendee picks another one. */
  onModeChange = () => {};

  /**
   * @param api  flowlabApi (engine.js): run, stop, resetNamespace, labCells, labCheck
   * @param {string} mode  full | mid | todo
   */
  constructor(api, mode, doc = document) {
    this.#api = api;
    this.#mode = MODES.includes(mode) ? mode : "full";
    const $ = (id) => doc.getElementById(id);
    this.#el = {
      doc,
      cells: $("lab-cells"),
      status: $("lab-status"),
      runAll: $("lab-run-all"),
      stop: $("lab-stop"),
      restart: $("lab-restart"),
      modes: [...doc.querySelectorAll('input[name="lab-mode"]')],
    };
    this.#el.runAll.addEventListener("click", () => this.runAll().catch(() => {}));
    this.#el.stop.addEventListener("click", () => this.stop());
    this.#el.restart.addEventListener("click", () => this.restart());
    for (const input of this.#el.modes) {
      input.checked = input.value === this.#mode;
      input.addEventListener("change", () => {
        if (input.checked) this.setMode(input.value).catch((e) => this.#say(e.message));
      });
    }
  }

  get mode() {
    return this.#mode;
  }

  /** Builds the cells of the current mode (once per mode); resolves when they are on the page. */
  open() {
    this.#loaded ??= this.#build().catch((error) => {
      this.#loaded = null; // the next open tries again
      this.#say(`The lab could not be loaded: ${error.message}`);
      throw error;
    });
    return this.#loaded;
  }

  /** Switches to another mode: its cells (with the attendee's saved edits for that mode). */
  async setMode(mode) {
    if (!MODES.includes(mode)) throw new RangeError(`mode: must be one of ${MODES.join(", ")}, but is ${JSON.stringify(mode)}`);
    for (const input of this.#el.modes) input.checked = input.value === mode;
    if (mode === this.#mode && this.#loaded) return this.#loaded;
    this.#flushSave();
    this.#mode = mode;
    this.#loaded = null;
    this.onModeChange(mode);
    return this.open();
  }

  /** The cells: [{id, kind, title, text, extra, blanks: [blank ids]}]. */
  async cells() {
    await this.open();
    return this.#cells.map((c) => ({
      id: c.id,
      kind: c.kind,
      title: c.cell?.title ?? "",
      text: c instanceof CodeCell ? c.text : c.text,
      extra: Boolean(c.cell?.extra),
      blanks: c instanceof CodeCell ? c.cell.blanks.map((b) => b.id) : [],
    }));
  }

  /** Replaces a code cell's text (as typing would: saved, undoable). */
  async setText(id, text) {
    await this.open();
    this.#codeCell(id).setText(String(text));
  }

  /** Runs one code cell after any queued before it -> {error, text, checks}. */
  async run(id) {
    await this.open();
    const cell = this.#codeCell(id);
    const generation = this.#generation;
    cell.setState("queued", "queued");
    const result = this.#queue.then(() => (generation === this.#generation ? this.#runNow(cell) : this.#dropped(cell)));
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Runs every code cell in order, stopping at the first error -> {completed, failed}. */
  async runAll() {
    await this.open();
    const generation = this.#generation;
    const code = this.#cells.filter((c) => c instanceof CodeCell);
    this.#say("Running all cells…");
    let completed = 0;
    for (const cell of code) {
      if (generation !== this.#generation) break;
      const result = await this.run(cell.id);
      if (result.dropped) break;
      if (result.error) {
        this.#say(`Stopped at “${cell.cell.title}”: ${result.error.kind}.`);
        return { completed, failed: cell.id };
      }
      completed += 1;
    }
    if (completed === code.length) this.#say("All cells ran.");
    return { completed, failed: null };
  }

  /** Stops the running cell and drops queued ones; the namespace keeps what it has. */
  async stop() {
    this.#generation += 1;
    const stopped = await this.#api.stop();
    this.#say(stopped ? "Stopped. The variables assigned so far are kept." : "Nothing was running.");
    return stopped;
  }

  /** Stops everything and forgets every variable (outputs and checks are cleared). */
  async restart() {
    this.#generation += 1;
    await this.#api.resetNamespace(0);
    for (const c of this.#cells) {
      if (!(c instanceof CodeCell)) continue;
      c.clear();
      c.setState("idle");
      for (const b of c.cell.blanks) c.setCheck({ blank: b.id, status: "missing", message: "not run yet" });
    }
    this.#say("Restarted: every variable is forgotten. Run the cells from the top.");
  }

  /** Each blank's check status: {blankId: "pass" | "fail" | "missing" | "pending"}. */
  async checks() {
    await this.open();
    return Object.assign({}, ...this.#cells.filter((c) => c instanceof CodeCell).map((c) => c.checkStatus()));
  }

  /** The cell that is running, or null. */
  get running() {
    return this.#running?.id ?? null;
  }

  async #build() {
    const mode = this.#mode;
    this.#say("Loading the lab…");
    const [editorModule, source] = await Promise.all([loadEditor(), this.#api.labCells(mode)]);
    if (mode !== this.#mode) return; // switched meanwhile: that mode builds its own
    const saved = storage.read(mode)?.cells ?? {};
    const doc = this.#el.doc;
    for (const c of this.#cells) c.editor?.destroy();
    this.#source = source;
    this.#cells = source.map((cell) => {
      if (cell.kind !== "code") {
        return { id: cell.id, kind: cell.kind, cell, text: cell.text, root: textCell(doc, cell, editorModule.renderMath) };
      }
      const text = typeof saved[cell.id] === "string" ? saved[cell.id] : cell.text;
      const view = new CodeCell(doc, cell, editorModule, {
        text,
        onRun: () => {
          this.run(cell.id).catch(() => {});
          return true;
        },
        onChange: () => this.#scheduleSave(),
      });
      view.kind = "code";
      return view;
    });
    this.#el.cells.replaceChildren(...this.#cells.map((c) => c.root));
    this.#el.cells.dataset.mode = mode;
    const edited = Object.keys(saved).length > 0;
    this.#say(
      `${describeMode(mode)}${edited ? " Your edits from last time are back." : ""} Shift+Enter runs a cell.`,
    );
  }

  async #runNow(cell) {
    this.#running = cell;
    cell.clear();
    cell.setState("running", "running…");
    const checked = this.#mode !== "full" && cell.cell.blanks.length > 0;
    if (checked) cell.pendingChecks();
    let result;
    try {
      result = await this.#api.run(cell.text, { onOutput: (report) => cell.append(report) });
    } catch (error) {
      // the cell could not run at all (engine restarting, lab module missing)
      result = { text: "", figures: [], error: { kind: "Error", message: error.message, rendered: error.message, line: 0 } };
    } finally {
      this.#running = null;
    }
    const error = result.error;
    cell.finish(error);
    const stopped = error?.kind === "KeyboardInterrupt";
    cell.setState(error ? (stopped ? "stopped" : "failed") : "done", error ? (stopped ? "stopped" : error.kind) : "done");
    const checks = {};
    if (checked) {
      for (const blank of cell.cell.blanks) {
        try {
          const check = await this.#api.labCheck(blank.id);
          cell.setCheck(check);
          checks[blank.id] = check;
        } catch (e) {
          cell.setCheck({ blank: blank.id, status: "missing", message: `not checked: ${e.message}` });
        }
      }
    }
    return { error, text: result.text, checks };
  }

  #dropped(cell) {
    cell.setState("idle");
    return { error: null, text: "", checks: {}, dropped: true };
  }

  #codeCell(id) {
    const cell = this.#cells.find((c) => c.id === id);
    if (!(cell instanceof CodeCell)) {
      const ids = this.#cells.filter((c) => c instanceof CodeCell).map((c) => c.id);
      throw new RangeError(`no code cell ${JSON.stringify(id)}: the cells are ${ids.join(", ")}`);
    }
    return cell;
  }

  #scheduleSave() {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.#flushSave(), SAVE_DELAY_MS);
  }

  /** Saves the cells that differ from the core's text (so a fixed lab reaches everyone else). */
  #flushSave() {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (!this.#source.length) return;
    const edited = {};
    for (const c of this.#cells) {
      if (!(c instanceof CodeCell)) continue;
      const original = this.#source.find((s) => s.id === c.id)?.text;
      if (c.text !== original) edited[c.id] = c.text;
    }
    if (!storage.write(this.#mode, edited)) this.#say("Your edits could not be saved in this browser (storage is off or full).");
  }

  #say(text) {
    this.#el.status.textContent = text;
  }
}

function describeMode(mode) {
  return {
    full: "Full version: every cell is filled in; run them and look.",
    mid: "Mid version: write the training loop's body.",
    todo: "Todo version: fill in every blank marked TODO; each is checked when its cell runs.",
  }[mode];
}
