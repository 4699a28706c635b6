"""Writes pyfmt_cases.json: what CPython, PyTorch and numpy print, for `crate/src/lang/pyfmt`.

Run with the PyTorch venv: `python tests/golden/make_pyfmt_cases.py` (deterministic).
Floats are stored as hex bits (f64) or shortest float32 text (tensor data), so the Rust
tests rebuild exactly the values Python printed.
"""

import json
import math
import os
import random
import struct
import sys

import numpy as np
import torch

rng = random.Random(20240611)
nrng = np.random.default_rng(7)


def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def outcome(fn):
    try:
        return {"ok": fn()}
    except (ValueError, OverflowError) as e:
        return {"err": str(e)}


def rand_float():
    kind = rng.randrange(6)
    if kind == 0:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if kind == 1:
        return rng.choice([1, -1]) * rng.random() * 10.0 ** rng.randint(-30, 30)
    if kind == 2:
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 6))
    if kind == 3:
        return float(rng.randint(-10**18, 10**18))
    if kind == 4:
        return rng.randint(-9999, 9999) / rng.choice([2, 4, 8, 16, 1000, 3, 7])
    return rng.choice([0.5, 1.5, 2.5, 0.125, 0.375, 9.995, 0.0001, 99999.5, 1e16, 1e-05])


FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, -1.5, 2.5, 0.5, 1.25, 0.125, 3.14159,
    123456.789, -123.456, 1234.5, 1e16, 1e15, 9.999999999999999e15, 1e17, 1e-4, 1e-5, 0.00012,
    1.5e-7, 1e22, 1e100, 1e300, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
    12345678901234567890.0, 123456789012345.6, 1.2345678901234567e20, 9.995, 99999.5, 0.05,
    float("inf"), float("-inf"), float("nan"), 100.0, 1e5, 1e6, 1e7, 0.001, 0.015, 2.0**53,
    2.0**-20, 0.1 + 0.2, 4.35, 1.005, 2.675, 1e-10, 123.0, 1e21, -1e-7, 7.0, 65.0,
    -850529238492592.25, 999696554697076.25,
]
FLOATS += [rand_float() for _ in range(300)]

INTS = [0, 1, -1, 7, 42, -42, 65, 97, 255, -255, 1000, 1234, 12345, 1234567, -1234567,
        10**15, 127, 0x10FFFF, 0x110000, 2**31, -2**31, 2**53 + 1, 2**63 - 1, -2**63, 9999]
INTS += [rng.randint(-10**rng.randint(1, 18), 10**rng.randint(1, 18)) for _ in range(60)]

FIXED_SPECS = [
    "", ".2f", ">8.3f", "+.1e", ".1%", ",.2f", "08.3f", ".3g", ".0f", ".0e", "#.0f", "#.0e",
    "g", "G", "e", "E", "f", "F", "%", "n", ".3", ".1", ".17", ".20g", "#g", "#.3g", "10",
    "<10", "^10", "=10", "*^12.2f", "0=+10.2f", "z.1f", "z", "+", " ", "-", ",", "_", ",d",
    "_x", "_b", "#x", "#X", "#o", "#b", "08,", "012,.1f", "0=8,", "x<05", "05", "c", "+c",
    "#c", "d", "x", "X", "o", "b", ".2", "z.2f", "abc", ",_", "_,", ",x", "_n", ",,", ".",
    "99999999999999999999", ".99999999999999999999", "s", "é", "\x01", "=^10", "0<8", "0^9",
    ">+#012_.3e", "^-#015,.4G", " 012.4%", "+015_", "#013_b", "#012_o", "#015_X", ".25f",
    "10.4e", "-^20,.2f", "z+08.3g", "%>9", ",.0%", "_.3e", ",g", "0", "00", "020", ".0",
    "#", "#10", "#.0", ".0%", "#.0%", "0=12,.3f", "1", "#.2", "+.0e",
]


def rand_spec():
    parts = [
        rng.choice(["", "", "", "<", ">", "^", "=", "*<", "0>", "x^", "0=", "_>"]),
        rng.choice(["", "", "+", "-", " "]),
        rng.choice(["", "", "", "", "z"]),
        rng.choice(["", "", "#"]),
        rng.choice(["", "", "0"]),
        rng.choice(["", "", "1", "5", "10", "12", "20"]),
        rng.choice(["", "", "", ",", "_"]),
        rng.choice(["", "", ".0", ".1", ".2", ".3", ".6", ".10", ".17", ".20"]),
        rng.choice(["", "", "e", "E", "f", "F", "g", "G", "%", "n", "d", "x", "X", "b", "o",
                    "c", "s"]),
    ]
    return "".join(parts)


SPECS = FIXED_SPECS + [rand_spec() for _ in range(400)]


def float_cases():
    out = [{"x": bits(x), "spec": s, **outcome(lambda: format(x, s))}
           for x in FLOATS[:40] for s in FIXED_SPECS]
    for _ in range(1500):
        x, s = rng.choice(FLOATS), rng.choice(SPECS)
        out.append({"x": bits(x), "spec": s, **outcome(lambda: format(x, s))})
    return out


def int_cases():
    out = [{"v": v, "spec": s, **outcome(lambda: format(v, s))}
           for v in INTS[:25] for s in FIXED_SPECS]
    for _ in range(800):
        v, s = rng.choice(INTS), rng.choice(SPECS)
        out.append({"v": v, "spec": s, **outcome(lambda: format(v, s))})
    return out


STRS = ["", "a", "ab", "hello", "héllo", "日本語", "x" * 30, "it's", 'say "hi"', "it's \"x\"",
        "tab\tnl\ncr\r", "back\\slash", "\x00\x07\x1b\x7f", "\x80\x9f\xa0\xad\xff", "€",
        "\u2028\u2029\u200b\ufeff\u3000", "\U0001f600", "\ue000", "\U000e0001", "\U00050000",
        "\ufffe\uffff", "é\u0301", "\U0010ffff", "'", '"', "'\"", "\\n"]


def str_cases():
    specs = ["", "10", "<10", ">10", "^10", "*^9", ".2", "10.3", "s", "05", "x>4", "=5",
             "+", " ", "#", "z", ",", "_", "d", ".", "0^7", ".0", "3.1s", "abc", "^", "é^6"]
    fmt = [{"s": s, "spec": sp, **outcome(lambda: format(s, sp))} for s in STRS for sp in specs]
    rep = [{"s": s, "repr": repr(s)} for s in STRS]
    return fmt, rep


def f32_list(a):
    return [str(np.float32(v)) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def tensor_sets():
    """(values as float32 array) for torch and numpy alike."""
    r = lambda *shape: nrng.standard_normal(shape).astype(np.float32)
    sets = [
        np.float32(1.5), np.float32(1.0), np.float32(0.0), np.float32(-0.0),
        np.float32("nan"), np.float32("inf"), np.float32(1e-5), np.float32(123456789.0),
        np.float32(3.14159), np.float32(-2.5), np.float32(0.1), np.float32(1e10),
        [1.0, 2.0, 3.0], [0.1, 0.2, 0.3], [1e-5, 1.0], [1.0, 1000.0], [1.0, 1001.0],
        [0.0, 0.0, 0.0], [float("nan"), 1.0], [float("inf"), float("-inf"), float("nan")],
        [-0.0, 0.0], [1e10], [-1.0, 2.5], [1e8, 1.0], [1e9, 2e9], [0.0001], [0.00009],
        [0.0, 0.25, 0.5, 0.75, 1.0], [1.5, float("nan"), -3.0], [1e-5, float("nan")],
        [123456.0, 0.5], [-1e-3, 2.0, 0.5], [1e20, -1e-20], [3.14159, 2.71828, 1.41421],
        [0.1, 1e-4], [99999.5, 0.5], [float("inf"), 1e-5, 2.0], [-0.0, 1.0, -2.0],
        [1.0 / 3, 2.0 / 3], [1e5, 1e-3], [7.0, -7.0, 70.0, -700.0], [1e7, 1.0],
        [float("-inf"), 0.5], [float("-inf"), 100000.0, 0.5], [0.5, 1e8], [2.0**-20],
        [5e-45, 1.0], [3.4e38, 1.0], [123456789.0], [1e6, 2e6, 3e6], [12345678.9],
    ]
    for k in range(-7, 11, 2):
        sets.append(r(6) * np.float32(10.0**k))
    sets += [r(5), r(20), r(50), r(100), r(2, 3), r(3, 4), r(2, 3, 4), r(2, 2, 2, 2),
             r(4, 20), r(1, 1), r(5, 1), r(1, 5), r(3, 1, 2), r(2, 12) * np.float32(1e-6),
             r(3, 9) * np.float32(1e4), np.arange(30, dtype=np.float32),
             np.arange(100, dtype=np.float32) - 50, np.arange(24, dtype=np.float32).reshape(2, 3, 4),
             np.arange(1001, dtype=np.float32), r(40, 30), r(10, 10, 11),
             np.arange(2000, dtype=np.float32) * np.float32(1e-3), r(1, 1001), r(1001, 1),
             r(3, 400), r(2, 2, 300) * np.float32(1e5), np.arange(8, dtype=np.float32).reshape(2, 1, 2, 1, 2),
             r(7, 7, 7, 3), np.round(r(4, 25) * 1000), r(30) * np.float32(1e12), r(6, 5) * np.float32(1e-9)]
    with_nan = r(4, 6)
    with_nan[1, 2] = np.nan
    with_nan[3, 0] = -np.inf
    sets.append(with_nan)
    sets += [np.zeros((0,), np.float32), np.zeros((0, 2), np.float32),
             np.zeros((2, 0), np.float32), np.zeros((2, 0, 3), np.float32)]
    sets += [[1.0 / 3, 0.123456785, 2.0 / 3, 1e-3 / 3], [0.5, float("nan")] * 3, [float("nan")] * 4,
             [float("inf")], [-0.0, float("-inf")], [1e-30, 1e30], [65504.0, 0.25, -1.125],
             [1e-4, 1e-4 * 1001], [0.99999999, 9.9999999], [1e8 - 4, 0.5], [-1e-4, 0.1]]
    for _ in range(40):
        sets.append(random_set())
    return [np.asarray(s, dtype=np.float32) for s in sets]


def random_set():
    rank = rng.randint(1, 4)
    shape = [rng.randint(1, 6) for _ in range(rank)]
    if rng.random() < 0.3:
        shape[-1] = rng.randint(8, 30)
    kind = rng.randrange(4)
    a = nrng.standard_normal(shape) * 10.0 ** rng.randint(-6, 9)
    if kind == 1:
        a = np.round(a)
    elif kind == 2:
        a = np.round(a, rng.randint(0, 3))
    elif kind == 3:
        a = nrng.integers(-5, 6, shape) * 0.25
    flat = a.reshape(-1)
    for _ in range(rng.randint(0, 2)):
        flat[rng.randrange(flat.size)] = rng.choice([0.0, -0.0, np.nan, np.inf, -np.inf])
    return a.astype(np.float32)


def torch_cases(sets):
    out = []
    for a in sets:
        t = torch.from_numpy(a.copy())
        out.append({"data": f32_list(a), "shape": list(a.shape), "suffixes": [], "expect": str(t)})
    for a in sets[:: 4]:
        if a.size == 0:
            continue
        leaf = torch.from_numpy(a.copy()).requires_grad_(True)
        out.append({"data": f32_list(a), "shape": list(a.shape),
                    "suffixes": ["requires_grad=True"], "expect": str(leaf)})
        out.append({"data": f32_list(a), "shape": list(a.shape),
                    "suffixes": ["grad_fn=<MulBackward0>"], "expect": str(leaf * 1)})
    # Suffixes that wrap: custom contents through torch's own _add_suffixes.
    add = torch._tensor_str._add_suffixes
    for a in sets[::7]:
        t = torch.from_numpy(a.copy())
        body = "tensor(" + (torch._tensor_str._tensor_str(t, 7) if a.size else "[]")
        sfx = ["grad_fn=<" + "X" * rng.randint(1, 60) + "Backward0>", "requires_grad=True"]
        if a.size == 0 and a.ndim != 1:
            continue
        out.append({"data": f32_list(a), "shape": list(a.shape), "suffixes": sfx,
                    "expect": add(body, sfx, 7, force_newline=False)})
    return out


def numpy_cases(sets):
    out = []
    for a in sets:
        # What a float64 lab would hold: a short decimal (at most 6 significant digits, most
        # likely typed in) as that decimal; a longer one (computed) as the float32's exact value.
        def widen(text, value):
            digits = text.lower().split("e")[0].replace("-", "").replace(".", "").lstrip("0")
            return float(text) if len(digits.rstrip("0")) <= 6 else float(value)
        flat = np.asarray(a, dtype=np.float32).reshape(-1)
        wide = np.array([widen(t, v) for t, v in zip(f32_list(a), flat)],
                        dtype=np.float64).reshape(a.shape)
        out.append({"data": f32_list(a), "shape": list(a.shape), "str": str(wide),
                    "repr": repr(wide)})
    # For information: how often numpy's own float32 printing would differ.
    differ = sum(str(a) != c["str"] for a, c in zip(sets, out))
    print(f"numpy: float32 printing differs from the widened float64 in {differ} of {len(out)}")
    return out


def main():
    fmt, rep = str_cases()
    sets = tensor_sets()
    cases = {
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__,
                     "numpy": np.__version__},
        "float_repr": [{"x": bits(x), "repr": repr(x)} for x in FLOATS],
        "format_float": float_cases(),
        "format_int": int_cases(),
        "format_str": fmt,
        "str_repr": rep,
        "torch": torch_cases(sets),
        "numpy": numpy_cases(sets),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyfmt_cases.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(path, {k: len(v) for k, v in cases.items()})


if __name__ == "__main__":
    main()
