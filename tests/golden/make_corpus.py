#!/usr/bin/env python3
"""Regenerate the expected stdout of every lab-language corpus program.

The corpus lives in tests/lang/corpus/: each NN_topic.py is a small
deterministic program written in the lab-language subset (see the README
there).  Next to it, NN_topic.out holds the exact stdout that REAL CPython +
PyTorch + numpy + scikit-learn + matplotlib print for it.  flowlab's tests run
each .py through the Rust interpreter and compare with the .out file.

Running
-------
From the repository root:

    /opt/torchvenv/bin/python tests/golden/make_corpus.py            # rewrite every .out
    /opt/torchvenv/bin/python tests/golden/make_corpus.py --check    # compare only, write nothing
    /opt/torchvenv/bin/python tests/golden/make_corpus.py 13_tensor_create_1d  # just some programs

(The interpreter that runs the programs is --python, default
/opt/torchvenv/bin/python when it exists, else the one running this script.
See tests/golden/README.md for setting that venv up on a CPU-only machine;
matplotlib is needed too: `/opt/torchvenv/bin/pip install matplotlib`.)

Each program runs in its own subprocess, with a fresh temporary directory as
cwd, MPLBACKEND=Agg, PYTHONHASHSEED=0 and a single thread (OMP/MKL), and a
timeout.  Any program that exits non-zero, times out, or prints a traceback
makes this script fail loudly (exit status 1) -- its .out is not written.
stderr that is not an error (e.g. a warning) is shown but tolerated.

It also writes tests/lang/corpus/VERSIONS.txt with the versions of Python,
torch, numpy, scikit-learn and matplotlib that produced the fixtures.  The
committed fixtures were produced by (see VERSIONS.txt for the exact strings):
Python 3.11, torch 2.15.0 (CPU), numpy 2.4.6, scikit-learn 1.9.1,
matplotlib 3.11.2.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "lang", "corpus"))
DEFAULT_PYTHON = "/opt/torchvenv/bin/python"
TIMEOUT_S = 120

VERSIONS_SNIPPET = r"""
import platform, torch, numpy, sklearn, matplotlib
print("python " + platform.python_version())
print("torch " + torch.__version__)
print("numpy " + numpy.__version__)
print("scikit-learn " + sklearn.__version__)
print("matplotlib " + matplotlib.__version__)
"""


def child_env():
    env = dict(os.environ)
    env.update(
        {
            "MPLBACKEND": "Agg",
            "PYTHONHASHSEED": "0",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "LC_ALL": "C.UTF-8",
        }
    )
    # Never let a user site or a stray PYTHONPATH change what gets imported.
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONSTARTUP", None)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def run_program(python, path):
    """Run one corpus program; return (stdout, stderr, returncode, seconds)."""
    with tempfile.TemporaryDirectory(prefix="flowlab-corpus-") as tmp:
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [python, path],
                cwd=tmp,
                env=child_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode("utf-8", "replace")
            return out, f"TIMEOUT after {TIMEOUT_S} s", -1, time.monotonic() - start
        took = time.monotonic() - start
    return (
        proc.stdout.decode("utf-8"),
        proc.stderr.decode("utf-8", "replace"),
        proc.returncode,
        took,
    )


def versions(python):
    proc = subprocess.run(
        [python, "-c", VERSIONS_SNIPPET],
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="only these programs (stem or file name)")
    ap.add_argument("--check", action="store_true", help="compare with the existing .out files; write nothing")
    ap.add_argument(
        "--python",
        default=DEFAULT_PYTHON if os.path.exists(DEFAULT_PYTHON) else sys.executable,
        help="interpreter with torch/numpy/sklearn/matplotlib (default: %(default)s)",
    )
    args = ap.parse_args()

    programs = sorted(f for f in os.listdir(CORPUS) if f.endswith(".py"))
    if args.names:
        wanted = {n[:-3] if n.endswith(".py") else n for n in args.names}
        unknown = wanted - {p[:-3] for p in programs}
        if unknown:
            sys.exit(f"make_corpus: no such program(s): {', '.join(sorted(unknown))}")
        programs = [p for p in programs if p[:-3] in wanted]
    if not programs:
        sys.exit(f"make_corpus: no programs found in {CORPUS}")

    vers = versions(args.python)
    print("using " + args.python)
    print(vers.rstrip())

    failures = []
    mismatches = []
    for name in programs:
        path = os.path.join(CORPUS, name)
        out_path = path[:-3] + ".out"
        stdout, stderr, rc, took = run_program(args.python, path)
        failed = rc != 0 or "Traceback (most recent call last)" in stderr
        status = "FAIL" if failed else "ok"
        print(f"{status:4} {name:34} {took:5.2f} s  {stdout.count(chr(10)):4d} lines")
        if stderr.strip():
            stream = sys.stderr
            print(f"---- stderr of {name} ----", file=stream)
            print(stderr.rstrip(), file=stream)
            print("----", file=stream)
        if failed:
            failures.append(name)
            continue
        if not stdout.strip():
            failures.append(name)
            print(f"FAIL {name}: printed nothing", file=sys.stderr)
            continue
        if args.check:
            old = None
            if os.path.exists(out_path):
                with open(out_path, encoding="utf-8", newline="") as f:
                    old = f.read()
            if old != stdout:
                mismatches.append(name)
                print(f"DIFF {name}: output differs from {os.path.basename(out_path)}")
        else:
            with open(out_path, "w", encoding="utf-8", newline="") as f:
                f.write(stdout)

    if not args.check and not args.names:
        with open(os.path.join(CORPUS, "VERSIONS.txt"), "w", encoding="utf-8", newline="") as f:
            f.write("# Versions that produced tests/lang/corpus/*.out (written by tests/golden/make_corpus.py)\n")
            f.write(vers)
        stems = {p[:-3] for p in programs}
        for f in sorted(os.listdir(CORPUS)):
            if f.endswith(".out") and f[:-4] not in stems:
                print(f"WARNING: {f} has no matching .py (stale fixture?)", file=sys.stderr)

    if failures:
        print(f"\nmake_corpus: {len(failures)} program(s) FAILED: {', '.join(failures)}", file=sys.stderr)
        sys.exit(1)
    if mismatches:
        print(f"\nmake_corpus: {len(mismatches)} output(s) differ: {', '.join(mismatches)}", file=sys.stderr)
        sys.exit(1)
    print(f"\nmake_corpus: {len(programs)} program(s) ok" + (" (check only)" if args.check else ""))


if __name__ == "__main__":
    main()
