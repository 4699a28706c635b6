# Functions: defaults, keyword arguments, *args at call sites, recursion, tuples.
def add(a, b=10):
    return a + b

def describe(name, value=0.0, unit="m"):
    return f"{name}={value:.2f}{unit}"

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

def divmod2(a, b):
    return a // b, a % b

def no_return():
    x = 1

def power(base, exp=2):
    result = 1
    for _ in range(exp):
        result *= base
    return result

print(add(1), add(1, 2), add(b=5, a=1), add(a=3))
print(describe("x"), describe("y", 3.14159), describe("z", unit="km", value=2))
print([fib(i) for i in range(12)])
print(fact(10), fact(0), fact(20))
q, r = divmod2(17, 5)
print(q, r, divmod2(-17, 5))
print(no_return())
args = [2, 5]
print(power(*args), power(*[3]), add(*(4, 6)))
coords = (1.5, 2.5)
print(describe(*["w", 0.5]))
def apply_twice(f, x):
    return f(f(x))
def double(x):
    return 2 * x
print(apply_twice(double, 3), apply_twice(fact, 3))
def swap(a, b):
    return b, a
print(swap(*coords))
def total(xs, start=0):
    s = start
    for x in xs:
        s += x
    return s
print(total([1, 2, 3]), total([1, 2, 3], start=10), total([0.5, 0.25]))
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
print(gcd(48, 18), gcd(17, 5), gcd(0, 9))
def early(x):
    if x > 0:
        return "positive"
    return "non-positive"
print(early(1), early(-1))
def hanoi(n, src, dst, tmp):
    if n == 0:
        return 0
    return hanoi(n - 1, src, tmp, dst) + 1 + hanoi(n - 1, tmp, dst, src)
print("hanoi moves", hanoi(6, "a", "c", "b"))
counter = [0]
def bump(c, by=1):
    c[0] += by
bump(counter)
bump(counter, by=5)
print(counter)
