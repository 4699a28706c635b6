# Tuples, tuple unpacking, dicts of simple values.
t = (1, 2, 3)
print(t, len(t), t[0], t[-1], t[1:])
single = (5,)
print(single, len(single))
empty = ()
print(empty)
a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
(c, d), e = (3, 4), 5
print(c, d, e)
pair = 7, 8
print(pair)
print(t + (4, 5), t * 2)
print((1, 2) == (1, 2), (1, 2) < (1, 3))
nested = ((1, 2), (3, 4))
for x, y in nested:
    print(x * y)
d = {"a": 1, "b": 2.5, "c": "three"}
print(d)
print(d["a"], d["b"], d["c"])
d["d"] = None
d["a"] = 100
print(d, len(d))
cfg = {"lr": 1e-2, "steps": 10_000, "hidden": 64, "name": "flow"}
print(cfg)
print(f"lr={cfg['lr']} steps={cfg['steps']}")
scores = {}
scores["x"] = 1
scores["y"] = 2
scores["x"] = scores["x"] + 10
print(scores)
keys = ["p", "q", "r"]
vals = [0.1, 0.2, 0.3]
made = {}
for k, v in zip(keys, vals):
    made[k] = v * 2
print(made)
nested_d = {"shape": (2, 3), "data": [1.0, 2.0]}
print(nested_d, nested_d["shape"][1], nested_d["data"][-1])
print({1: "one", 2: "two"}, {})
print(tuple([1, 2]), list((3, 4)))
def min_max(xs):
    return min(xs), max(xs)
lo, hi = min_max([4, -2, 9, 0])
print(lo, hi)
r = min_max([1.5, 0.5])
print(r, r[0])
print(d == {"a": 100, "b": 2.5, "c": "three", "d": None})
