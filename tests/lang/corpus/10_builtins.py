# Built-in functions: len range list tuple int float str abs min max round sum enumerate zip isinstance.
xs = [3, -1, 4, -1, 5, -9, 2, 6]
print(len(xs), len("abc"), len((1, 2)), len({"a": 1}), len(range(10)))
print(list(range(4)), list(range(1, 4)), list(range(10, 0, -3)), list(range(0)))
print(tuple(range(3)), tuple([1, 2]), list((5, 6)))
print(int(3.7), int(-3.7), int("12"), int(True), int(5))
print(float(2), float("3.25"), float(-1), float(False))
print(str(1), str(1.5), str(-0.25), str(True), str([1, "a"]))
print(abs(-4), abs(4.5), abs(-0.0), abs(0))
print(min(xs), max(xs), min(3, 1, 2), max(2.5, 1, 3), min(-1, -1.5))
print(min([0.5, 0.25]), max((7, 3)), max("b", "a", "c"))
print(sum(xs), sum([0.1, 0.2, 0.3]), sum([]), sum(range(101)))
print(sum([1, 2.5]), sum([True, True, False]))
for i, x in enumerate(["a", "b", "c"]):
    print(i, x)
print(list(enumerate([10, 20])))
for a, b in zip([1, 2, 3], ["x", "y", "z"]):
    print(a, b)
print(list(zip([1, 2, 3], [4, 5])))
print(list(zip("ab", [0.5, 1.5], (True, False))))
for i, (a, b) in enumerate(zip([1, 2], [3, 4])):
    print(i, a * b)
print(isinstance(1, int), isinstance(1.0, int), isinstance(1.0, float))
print(isinstance("s", str), isinstance([1], list), isinstance((1,), tuple))
print(isinstance(True, int), isinstance(None, int), isinstance(2, float))
print(round(3.14159, 2), round(2.5), round(3.5), round(-2.5), round(0.5))
print(round(1.5), round(-0.5), round(7), round(123.456, 1), round(123.456, -1))
print(round(2.345, 2), round(0.0001, 3), round(-1.2345, 3))
pairs = [(i, i * i) for i in range(4)]
print(pairs)
print(max([len(w) for w in ["hi", "hello", "hey"]]))
print(abs(-7 // 2), abs(7 % -3))
print(str(10 ** 6), str(1e6), int("007"))
assert round(2.5) == 2 and round(3.5) == 4
assert len(xs) == 8, "xs should have 8 items"
assert isinstance(sum([1, 2]), int) and isinstance(sum([1.0, 2]), float)
print("asserts passed")
