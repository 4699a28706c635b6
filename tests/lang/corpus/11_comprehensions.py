# List comprehensions, including conditions and nesting.
print([i for i in range(8)])
print([i * i for i in range(8) if i % 2 == 1])
print([x + y for x in [1, 2] for y in [10, 20, 30]])
print([[i * j for j in range(1, 4)] for i in range(1, 4)])
print([(i, c) for i, c in enumerate("xyz")])
print([a * b for a, b in zip([1, 2, 3], [4, 5, 6])])
print([x for x in [3, -1, 0, 7, -2] if x > 0])
print(["even" if n % 2 == 0 else "odd" for n in range(5)])
print([s + "!" for s in ["a", "bb"]])
print([len(w) for w in ["flow", "matching", ""]])
grid = [[r * 3 + c for c in range(3)] for r in range(3)]
print(grid)
transposed = [[grid[r][c] for r in range(3)] for c in range(3)]
print(transposed)
diag = [grid[i][i] for i in range(3)]
print(diag, sum(diag))
flat = [v for row in grid for v in row]
print(flat)
print([v for v in flat if v % 4 == 0])
xs = [0.1 * i for i in range(5)]
print(xs)
print([round(x, 2) for x in xs])
print([f"{x:.1f}" for x in xs])
print(sum([x * x for x in range(10)]))
print(max([abs(x - 2.2) for x in [1.0, 2.0, 3.0]]))
print([[0.0] * 2 for _ in range(3)])
print([i for i in range(10, 0, -2)])
print([(x, y) for x in range(3) for y in range(x)])
print([c for c in "comprehension" if c == "e" or c == "n"])
squares = [n * n for n in range(1, 6)]
cumulative = [sum(squares[:k + 1]) for k in range(len(squares))]
print(squares, cumulative)
