# Small classic algorithms exercising loops, lists, and functions.
def bubble_sort(xs):
    a = xs[:]
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a

def primes_upto(n):
    is_p = [True] * (n + 1)
    is_p[0] = False
    is_p[1] = False
    p = 2
    while p * p <= n:
        if is_p[p]:
            for k in range(p * p, n + 1, p):
                is_p[k] = False
        p += 1
    return [i for i in range(n + 1) if is_p[i]]

def binary_search(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        elif xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1

def newton_sqrt(v, iters=6):
    x = v
    for _ in range(iters):
        x = 0.5 * (x + v / x)
    return x

def mat_mul(a, b):
    return [[sum([a[i][k] * b[k][j] for k in range(len(b))]) for j in range(len(b[0]))] for i in range(len(a))]

data = [5, 2, 9, 1, 5, 6, -3, 0]
s = bubble_sort(data)
print(data, s)
print(primes_upto(50), len(primes_upto(100)))
print(binary_search(s, 6), binary_search(s, 4), binary_search(s, -3))
print(newton_sqrt(2.0), newton_sqrt(9.0, iters=3), newton_sqrt(1e6))
print(mat_mul([[1, 2], [3, 4]], [[5, 6], [7, 8]]))
print(mat_mul([[0.5, 0.0], [0.0, 2.0]], [[1.0], [1.0]]))
running = []
acc = 0
for v in data:
    acc += v
    running = running + [acc]
print(running)
counts = {"neg": 0, "zero": 0, "pos": 0}
for v in data:
    key = "neg" if v < 0 else ("zero" if v == 0 else "pos")
    counts[key] = counts[key] + 1
print(counts)
pascal = [[1]]
for r in range(5):
    prev = pascal[-1]
    pascal = pascal + [[1] + [prev[i] + prev[i + 1] for i in range(len(prev) - 1)] + [1]]
print(pascal[-1], sum(pascal[-1]))
print(f"{newton_sqrt(2.0):.12f}")
assert bubble_sort([3, 1, 2]) == [1, 2, 3]
assert binary_search([1, 3, 5], 5) == 2, "binary search"
print("all checks passed")
