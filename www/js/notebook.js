// notebook.js: a lab as a notebook: the Lab view (the workshop's flow matching lab) and the
// Lecture view (the lecture's warm-ups), one Notebook each, every one with its own lab, element
// ids, namespace in the worker and saved edits. The core gives the cells of the chosen mode
// (full, mid or todo: crate/src/lab/flow_matching.py or warm_ups.py, derived by the core); this
// file lays them out, runs them one at a time in the worker's lab-language session (Run, Shift+
// Enter, Run all, Stop, Restart), shows what they print and plot, and after a cell with blanks
// has run, asks the core to check each blank. Edits are kept in localStorage, per mode, as they
// are typed; resetting asks first; the cells export to a .py file and import back; a link can
// carry them (share.js), and opening one over local work asks which to keep.

import { ask } from "./ask.js";
import { CodeCell, textCell } from "./notebook/cell.js";
import { loadEditor } from "./notebook/editor.js";
import { encodeCells } from "./share.js";

export const MODES = Object.freeze(["full", "mid", "todo"]);

/** Where an attendee's edits of the flow matching lab are kept, per mode. */
const STORAGE_PREFIX = "flowlab.lab.v1.";
const SAVE_DELAY_MS = 300;

/** The Lecture view's notebook: the warm-ups, in their own namespace, elements and storage. */
export const LECTURE = Object.freeze({
  lab: "warm-ups",
  session: "lecture",
  modes: Object.freeze(["full", "todo"]),
  ids: "lecture-",
  storagePrefix: "flowlab.warm-ups.v1.",
  describe: Object.freeze({
    full: "Full version: every cell is filled in; run them, change the flips or the map, and look.",
    todo: "Todo version: write the NLL, the estimate p̂ and the change of variables; each is checked when its cell runs.",
  }),
});

/** Edits of one mode: {cells: {id: text}, saved: ms}; never throws (storage may be off or full).
 *  A mode's work replaced by a link's code is kept under the ".backup" key. Each notebook has
 *  its own prefix, so the two labs never write over each other's work. */
const makeStorage = (prefix) => ({
  read(mode, key = mode) {
    try {
      const value = JSON.parse(localStorage.getItem(prefix + key) ?? "null");
      return value && typeof value.cells === "object" && value.cells !== null ? value : null;
    } catch {
      return null;
    }
  },
  write(mode, cells, key = mode) {
    try {
      localStorage.setItem(prefix + key, JSON.stringify({ cells, saved: Date.now() }));
      return true;
    } catch {
      return false;
    }
  },
  /** Keys (after the prefix) of the backups of `mode`'s replaced work, newest first. */
  backups(mode) {
    try {
      const keys = [];
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key?.startsWith(`${prefix}${mode}.backup.`)) keys.push(key.slice(prefix.length));
      }
      return keys.sort((a, b) => Number(b.split(".").pop()) - Number(a.split(".").pop()));
    } catch {
      return [];
    }
  },
  remove(mode) {
    try {
      localStorage.removeItem(prefix + mode);
    } catch {
      // storage off: nothing was kept
    }
  },
});

export class Notebook {
  #api;
  #el;
  #mode;
  /** The lab's name for the core ("flow-matching", "warm-ups"), its namespace in the worker,
   *  its modes, its saved edits and the words for each mode. */
  #lab;
  #session;
  #modes;
  #storage;
  #describe;
  /** The cells on the page, in order: CodeCell or {id, kind, root} for text. */
  #cells = [];
  #loaded = null;
  /** Runs wait here, so that cells run one at a time in the order asked. */
  #queue = Promise.resolve();
  /** Bumped by Stop and Restart: queued runs of an older generation are dropped. */
  #generation = 0;
  #running = null;
  #saveTimer = null;
  /** Cells edited since the last save: only these are written, merged into what is stored, so
   *  a second tab of the same version never writes its stale cells over this one's work. */
  #dirty = new Set();
  /** Called with the mode when the attendee picks another one. */
  onModeChange = () => {};
  /** The hash of the page's settings (mode included), for links: set by main.js. */
  settingsHash = () => `mode=${this.#mode}`;

  /**
   * @param api  flowlabApi (engine.js): run, stop, resetNamespace, labCells, labCheck
   * @param {string} mode  one of the lab's modes (full | mid | todo); another opens "full"
   * @param {object} [options]  the lab (default: the flow matching lab in the Lab view's
   *   elements); LECTURE gives the Lecture view's: {lab, session, modes, ids (the elements' id
   *   prefix; the mode radios are named `${ids}mode`), storagePrefix, describe: {mode: text}}
   */
  constructor(api, mode, doc = document, options = {}) {
    const {
      lab = "flow-matching",
      session = "lab",
      modes = MODES,
      ids = "lab-",
      storagePrefix = STORAGE_PREFIX,
      describe = null,
    } = options;
    this.#api = api;
    this.#lab = lab;
    this.#session = session;
    this.#modes = modes;
    this.#storage = makeStorage(storagePrefix);
    this.#describe = describe;
    this.#mode = modes.includes(mode) ? mode : "full";
    const $ = (id) => doc.getElementById(ids + id);
    this.#el = {
      doc,
      cells: $("cells"),
      status: $("status"),
      runAll: $("run-all"),
      stop: $("stop"),
      restart: $("restart"),
      modes: [...doc.querySelectorAll(`input[name="${ids}mode"]`)],
      saved: $("saved"),
      resetLab: $("reset"),
      exportPy: $("export"),
      importPy: $("import"),
      importFile: $("import-file"),
      copyLink: $("copy-link"),
      linkWithCells: $("link-cells"),
      link: $("link"),
    };
    this.#el.resetLab.addEventListener("click", () => this.resetLab().catch((e) => this.#say(e.message)));
    this.#el.exportPy.addEventListener("click", () => this.download().catch((e) => this.#say(`Export failed: ${e.message}`)));
    this.#el.importPy.addEventListener("click", () => this.#el.importFile.click());
    this.#el.importFile.addEventListener("change", async () => {
      const file = this.#el.importFile.files?.[0];
      this.#el.importFile.value = "";
      if (!file) return;
      try {
        await this.importScript(await file.text(), file.name);
      } catch (e) {
        this.#say(`${file.name} could not be imported: ${e.message}. Your cells are unchanged.`);
      }
    });
    // the last keystrokes before a reload or a closed tab are saved too
    doc.defaultView?.addEventListener("pagehide", () => this.#flushSave());
    doc.addEventListener("visibilitychange", () => {
      if (doc.visibilityState === "hidden") this.#flushSave();
    });
    this.#el.copyLink.addEventListener("click", () => this.copyLink().catch((e) => this.#say(`No link: ${e.message}`)));
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

  /** The lab's name ("flow-matching", "warm-ups"). */
  get lab() {
    return this.#lab;
  }

  /** The modes this notebook has. */
  get modes() {
    return this.#modes;
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
    if (!this.#modes.includes(mode)) throw new RangeError(`mode: must be one of ${this.#modes.join(", ")}, but is ${JSON.stringify(mode)}`);
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
      text: c.text,
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
    const stopped = await this.#api.stop(this.#session);
    this.#say(stopped ? "Stopped. The variables assigned so far are kept." : "Nothing was running.");
    return stopped;
  }

  /** Stops everything and forgets every variable (outputs and checks are cleared). */
  async restart() {
    this.#generation += 1;
    await this.#api.resetNamespace(0, this.#session);
    await this.#queue; // the interrupted cell reports its stop first, then everything is cleared
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

  /** Puts a cell back as the lab ships it, after asking (unless `confirm` is false). */
  async resetCell(id, { confirm = true } = {}) {
    await this.open();
    const cell = this.#codeCell(id);
    if (cell.text === cell.cell.text) return false;
    if (confirm) {
      const choice = await ask({
        title: "Reset this cell?",
        text: `Your code in “${cell.cell.title}” will be replaced by the lab's. This cannot be undone from here (Ctrl+Z in the cell still can).`,
        choices: [
          { label: "Reset the cell", value: "reset" },
          { label: "Keep my code", value: "keep" },
        ],
      });
      if (choice !== "reset") return false;
    }
    cell.setText(cell.cell.text);
    this.#flushSave();
    return true;
  }

  /** Forgets every edit of the current version, after asking (unless `confirm` is false). */
  async resetLab({ confirm = true } = {}) {
    await this.open();
    if (confirm) {
      const choice = await ask({
        title: `Reset the whole ${this.#mode} version?`,
        text: "Every cell goes back to the lab's code and your edits of this version are forgotten. Export them first (Export .py) to keep a copy.",
        choices: [
          { label: "Reset the lab", value: "reset" },
          { label: "Keep my work", value: "keep" },
        ],
      });
      if (choice !== "reset") return false;
    }
    this.#storage.remove(this.#mode);
    this.#loaded = null;
    await this.open();
    this.#say(`The ${this.#mode} version is back as the lab ships it.`);
    return true;
  }

  /** The notebook as a .py file (cells as `# %%` blocks) that runs in Python with PyTorch. */
  async exportScript() {
    await this.open();
    return this.#api.labExport(this.#mode, this.#texts(), this.#lab);
  }

  /** Downloads exportScript() as flowlab-<mode>.py. */
  async download() {
    const text = await this.exportScript();
    const doc = this.#el.doc;
    const a = doc.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/x-python" }));
    a.download = this.#lab === "flow-matching" ? `flowlab-${this.#mode}.py` : `flowlab-${this.#lab}-${this.#mode}.py`;
    doc.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    const needs = "PyTorch, scikit-learn and matplotlib";
    this.#say(`Exported ${a.download}: it runs in Python with ${needs}.`);
  }

  /** Reads an exported .py file back: its version's cells take its code (asks first when that
   *  would replace edits). -> whether it was imported. */
  async importScript(text, name = "the file") {
    const imported = await this.#api.labImport(text, this.#lab);
    const mode = imported.mode ?? this.#mode;
    const ok = await this.#replaceWork(mode, imported.cells, `${name} has code for the ${mode} version`);
    if (!ok) return false;
    const skipped = imported.unknown.length ? ` (cells the lab does not have were left out: ${imported.unknown.join(", ")})` : "";
    this.#say(`Imported ${name} into the ${mode} version${skipped}.`);
    return true;
  }

  /** A link to this page in the current version, with the attendee's code if `withCells`. */
  async shareLink({ withCells = false } = {}) {
    await this.open();
    const base = `${location.origin}${location.pathname}${location.search}`;
    let hash = this.settingsHash();
    if (withCells) hash += `${hash ? "&" : ""}cells=${await encodeCells(this.#texts())}`;
    return `${base}#${hash}`;
  }

  /** Puts shareLink() in the link field and on the clipboard when the browser allows. */
  async copyLink() {
    const link = await this.shareLink({ withCells: this.#el.linkWithCells.checked });
    this.#el.link.value = link;
    this.#el.link.hidden = false;
    this.#el.link.select();
    try {
      await navigator.clipboard.writeText(link);
      this.#say(`Link copied (${link.length.toLocaleString("en")} characters).`);
    } catch {
      this.#say("Copy the link from the field (the browser did not allow copying).");
    }
    return link;
  }

  /** Puts back the latest work that a link or an import replaced (the current work becomes a
   *  backup in turn, after asking). -> whether it did. */
  async restoreBackup() {
    await this.open();
    const [key] = this.#storage.backups(this.#mode);
    if (!key) throw new Error(`no replaced work of the ${this.#mode} version is kept in this browser`);
    const backup = this.#storage.read(this.#mode, key);
    const done = await this.#replaceWork(this.#mode, backup?.cells ?? {}, "Restoring your replaced work");
    if (done) this.#storage.remove(key);
    return done;
  }

  /** A link's cells for `mode`: opened at once when there is no local work to lose, else the
   *  attendee chooses (their work is kept as a backup if they take the link's). */
  async openShared(mode, cells) {
    return this.#replaceWork(mode, cells, `This link carries code for the ${mode} version`);
  }

  /** Makes `cells` the saved work of `mode` and shows that mode; asks first if it would replace
   *  different edits (which stay as a backup). -> whether it did. */
  async #replaceWork(mode, cells, why) {
    if (!this.#modes.includes(mode)) throw new RangeError(`unknown version ${JSON.stringify(mode)}`);
    const known = new Set((await this.#api.labCells(mode, this.#lab)).filter((c) => c.kind === "code").map((c) => c.id));
    const incoming = Object.fromEntries(Object.entries(cells).filter(([id]) => known.has(id)));
    if (mode === this.#mode) this.#flushSave();
    const local = this.#storage.read(mode);
    const localCells = local?.cells ?? {};
    const same = JSON.stringify(sortKeys(localCells)) === JSON.stringify(sortKeys(incoming));
    if (Object.keys(localCells).length > 0 && !same) {
      const when = new Date(local.saved).toLocaleString();
      const choice = await ask({
        title: "Replace your work?",
        text: `${why}, and this browser already has your own work on it (last saved ${when}). Open the new code (yours is kept as a backup in this browser), or keep your work?`,
        choices: [
          { label: "Open the new code", value: "open" },
          { label: "Keep my work", value: "keep" },
        ],
      });
      if (choice !== "open") {
        this.#say("Kept your work; the other code was not opened.");
        await this.setMode(mode);
        return false;
      }
      if (!this.#storage.write(mode, localCells, `${mode}.backup.${Date.now()}`)) {
        throw new Error("your work could not be kept as a backup (this browser's storage is full): export it first (Export .py)");
      }
    }
    if (!this.#storage.write(mode, incoming)) throw new Error("this browser's storage is off or full");
    if (this.#mode === mode) {
      // rebuild from storage; the cells on the page are not saved over it
      clearTimeout(this.#saveTimer);
      this.#cells = [];
      this.#loaded = null;
    }
    await this.setMode(mode);
    return true;
  }

  /** The code cells that differ from the lab's, by id. */
  #texts() {
    const out = {};
    for (const c of this.#cells) {
      if (c instanceof CodeCell && c.text !== c.cell.text) out[c.id] = c.text;
    }
    return out;
  }

  async #build() {
    const mode = this.#mode;
    this.#say("Loading the lab…");
    const [editorModule, source] = await Promise.all([loadEditor(), this.#api.labCells(mode, this.#lab)]);
    if (mode !== this.#mode) return; // switched meanwhile: that mode builds its own
    const saved = this.#storage.read(mode)?.cells ?? {};
    const doc = this.#el.doc;
    for (const c of this.#cells) c.editor?.destroy();
    this.#dirty.clear();
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
        onChange: () => {
          this.#dirty.add(cell.id);
          this.#scheduleSave();
        },
        onReset: () => this.resetCell(cell.id).catch((e) => this.#say(e.message)),
      });
      view.kind = "code";
      return view;
    });
    this.#el.cells.replaceChildren(...this.#cells.map((c) => c.root));
    this.#el.cells.dataset.mode = mode;
    const edited = Object.keys(saved).length > 0;
    this.#showSaved(this.#storage.read(mode));
    this.#say(
      `${this.#describe?.[mode] ?? describeMode(mode)}${edited ? " Your edits from last time are back." : ""} Shift+Enter runs a cell.`,
    );
  }

  async #runNow(cell) {
    this.#running = cell;
    cell.clear();
    cell.setState("running", "running…");
    const generation = this.#generation;
    const checked = this.#mode !== "full" && cell.cell.blanks.length > 0;
    if (checked) cell.pendingChecks();
    let result;
    try {
      result = await this.#api.run(cell.text, { onOutput: (report) => cell.append(report), session: this.#session });
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
    // after Restart the namespace is new: checking it would only say "not defined"
    if (checked && generation === this.#generation) {
      for (const blank of cell.cell.blanks) {
        try {
          const check = await this.#api.labCheck(blank.id, this.#lab, this.#session);
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

  /** Saves the cells edited since the last save into the stored record (a cell back to the
   *  lab's code is dropped from it, so a fixed lab reaches everyone else). */
  #flushSave() {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (!this.#cells.length || this.#dirty.size === 0) return;
    const stored = this.#storage.read(this.#mode)?.cells ?? {};
    for (const id of this.#dirty) {
      const cell = this.#cells.find((c) => c.id === id);
      if (!(cell instanceof CodeCell)) continue;
      if (cell.text === cell.cell.text) delete stored[id];
      else stored[id] = cell.text;
    }
    if (this.#storage.write(this.#mode, stored)) {
      this.#dirty.clear();
      this.#showSaved(this.#storage.read(this.#mode));
    } else {
      this.#el.saved.textContent = "Your edits could not be saved in this browser (storage is off or full): export them (Export .py).";
    }
  }

  /** The page-level state: which version, whether there is local work, when it was saved. */
  #showSaved(record) {
    const n = record ? Object.keys(record.cells).length : 0;
    this.#el.saved.dataset.work = n > 0 ? "yes" : "no";
    this.#el.saved.textContent =
      n > 0
        ? `${capitalize(this.#mode)} version: your edits (${n} cell${n === 1 ? "" : "s"}) are saved in this browser, last at ${new Date(record.saved).toLocaleTimeString()}.`
        : `${capitalize(this.#mode)} version: no edits yet; what you type is saved in this browser as you go.`;
    const backups = this.#storage.backups(this.#mode).length;
    if (backups > 0) {
      const doc = this.#el.doc;
      const button = doc.createElement("button");
      button.type = "button";
      button.className = "secondary restore-backup";
      button.textContent = "Restore replaced work";
      button.title = `${backups} earlier version${backups === 1 ? "" : "s"} of your work, replaced by a link or an import, kept in this browser`;
      button.addEventListener("click", () => this.restoreBackup().catch((e) => this.#say(e.message)));
      this.#el.saved.append(" ", button);
    }
  }

  #say(text) {
    this.#el.status.textContent = text;
  }
}

const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** A copy of an object with its keys in order, for comparing. */
function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function describeMode(mode) {
  return {
    full: "Full version: every cell is filled in; run them and look.",
    mid: "Mid version: write the training loop's body.",
    todo: "Todo version: fill in every blank marked TODO; each is checked when its cell runs.",
  }[mode];
}
