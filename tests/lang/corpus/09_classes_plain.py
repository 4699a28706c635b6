# Plain classes: __init__, attributes, methods, state, objects in lists.
class Point:
    def __init__(self, x, y=0.0):
        self.x = x
        self.y = y

    def norm2(self):
        return self.x * self.x + self.y * self.y

    def shifted(self, dx, dy=0.0):
        return Point(self.x + dx, self.y + dy)

    def scale(self, k):
        self.x *= k
        self.y *= k

class Counter:
    def __init__(self, start=0):
        self.count = start
        self.history = []

    def tick(self, by=1):
        self.count += by
        self.history = self.history + [self.count]
        return self.count

class Accumulator:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total += v
        self.n += 1

    def mean(self):
        if self.n == 0:
            return 0.0
        return self.total / self.n

p = Point(3.0, 4.0)
print(p.x, p.y, p.norm2())
q = p.shifted(1.0)
print(q.x, q.y, p.x)
p.scale(0.5)
print(p.x, p.y)
p.label = "moved"
print(p.label)
c = Counter()
c.tick()
c.tick(by=3)
print(c.tick(), c.count, c.history)
c2 = Counter(start=100)
print(c2.tick(), c.count)
acc = Accumulator()
for v in [1.0, 2.0, 4.5]:
    acc.add(v)
print(acc.total, acc.n, acc.mean(), Accumulator().mean())
pts = [Point(float(i), float(-i)) for i in range(4)]
print([pt.norm2() for pt in pts])
print(isinstance(p, Point), isinstance(c, Point), isinstance(c, Counter))
best = pts[0]
for pt in pts:
    if pt.norm2() > best.norm2():
        best = pt
print(best.x, best.y)
