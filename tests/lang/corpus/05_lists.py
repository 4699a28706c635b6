# Lists: indexing, negative indices, slicing, item and slice assignment.
a = [10, 20, 30, 40, 50]
print(a, len(a))
print(a[0], a[-1], a[-2], a[2])
print(a[1:3], a[:2], a[3:], a[-3:], a[:-3], a[::2], a[::-1], a[1:-1])
print(a[10:], a[-100:2])
a[0] = 11
a[-1] = 55
print(a)
a[1:3] = [21, 31, 35]
print(a, len(a))
a[1:4] = []
print(a)
b = a + [1, 2] + []
print(b)
c = [0] * 5
print(c)
nested = [[1, 2, 3], [4, 5, 6]]
print(nested, nested[1], nested[1][2], nested[-1][-1])
nested[0][1] = 99
print(nested)
m = [[0] * 3 for _ in range(2)]
m[1][2] = 7
print(m)
empty = []
print(empty, len(empty))
mixed = [1, 2.5, "three", None, True, [4]]
print(mixed)
print(mixed[2][1:])
total = 0
for item in [3, 1, 4, 1, 5, 9, 2, 6]:
    total += item
print("total", total)
squares = []
for i in range(6):
    squares = squares + [i * i]
print(squares)
copy = squares[:]
copy[0] = -1
print(squares[0], copy[0])
alias = squares
alias[1] = 100
print(squares[1])
print([1, 2] == [1, 2], [1, 2] < [1, 3], [] == [])
print(list(range(5)), list(range(2, 10, 3)), list(range(5, 0, -1)))
print(max([3, 7, 2]), min([3, 7, 2]), sum([1.5, 2.5]))
rev = []
i = len(a) - 1
while i >= 0:
    rev = rev + [a[i]]
    i -= 1
print(rev)
x, y, z = [1, 2, 3]
print(x, y, z)
