# f-strings and format specifications.
x = 3.14159265
n = 42
p = 0.1234
v = 12345.6789
s = "abc"
print(f"{x}")
print(f"{x:.2f} {x:.0f} {x:.5f}")
print(f"[{n:5d}] [{n:<5d}] [{n:^5d}] [{n:05d}] [{-n:5d}]")
print(f"[{x:>8.3f}] [{x:<8.3f}] [{x:^8.3f}] [{x:8.1f}]")
print(f"{v:.3e} {v:e} {0.000123:.2e} {x:.1e}")
print(f"{p:.1%} {p:%} {1.0:.0%} {0.5:.2%}")
print(f"{s!r} {s} {x!r} {n!r}")
print(f"[{s:>6}] [{s:<6}] [{s:^7}] [{s:*^7}] [{s:-<6}]")
print(f"{v:10.2f}|{v:<10.2f}|{v:>12.4f}|")
print(f"{n} + {n} = {n + n}")
print(f"{n * 2:d} {n / 4} {n // 4}")
print(f"{x:g} {v:g} {1e-7:g} {1e20:g} {100.0:g}")
print(f"{-x:.3f} {-0.0001:.2f} {2.5:.0f} {3.5:.0f}")
print(f"{True} {None} {[1, 2]} {(3, 4)}")
print(f"{'nested'} {s + s}")
items = [("loss", 0.123456), ("acc", 0.98765), ("lr", 0.001)]
for key, val in items:
    print(f"{key:>6}: {val:.4f}")
for i in range(3):
    print(f"step {i:3d} | value {i * 0.1:6.3f} | pct {i / 4:.0%}")
print(f"{1234567:d} {0.1 + 0.2:.17f}")
big = 1e16
print(f"{big} {big:.1f} {1e-05} {1e-05:f}")
print(f"{7:3}|{7.0:6}|{'x':3}|")
print(f"{n:d}{s}{x:.1f}")
