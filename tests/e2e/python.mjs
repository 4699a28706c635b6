// python.mjs: the CPython that runs exported notebooks in the e2e tests, found once.

import { spawnSync } from "node:child_process";

const CANDIDATES = [process.env.FLOWLAB_PYTHON, "/opt/torchvenv/bin/python", "python3"].filter(Boolean);

/**
 * -> {python, why}: the first candidate (FLOWLAB_PYTHON, the golden fixtures' venv, python3) that
 * imports torch, scikit-learn and matplotlib, or null and the reason to skip.
 */
export function findPython() {
  const python = CANDIDATES.find(
    (p) => spawnSync(p, ["-c", "import torch, sklearn, matplotlib"], { stdio: "ignore" }).status === 0,
  );
  return {
    python: python ?? null,
    why: `no Python with torch, scikit-learn and matplotlib (tried ${CANDIDATES.join(", ")}; set FLOWLAB_PYTHON)`,
  };
}

/** Runs the script at `path` headless (matplotlib's Agg), one thread -> spawnSync's result. */
export function runPython(python, path) {
  return spawnSync(python, [path], {
    encoding: "utf8",
    env: { ...process.env, MPLBACKEND: "Agg", OMP_NUM_THREADS: "1" },
    timeout: 300_000,
  });
}
