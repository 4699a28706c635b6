# Integer and float arithmetic semantics: floor division, modulo, powers.
a = 7
b = 2
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b)
print(-7 // 2, -7 % 2, 7 // -2, 7 % -2)
print(7 % -3, -7 % 3, -7 % -3)
print(2 ** -1, 2 ** 0, 2 ** 10, (-2) ** 3, -2 ** 2)
print(1 / 3, 2 / 3, 10 / 5, 1 / 8)
print(7.5 // 2, 7.5 % 2, -7.5 // 2, -7.5 % 2)
print(3 * 1.0, 3 + 0.5, 4 - 4.0, 9 ** 0.5)
print(10_000 + 1, 1_000_000 // 7)
print(2 ** 31, 2 ** 40, 3 ** 20)
print(17 // 5 * 5 + 17 % 5)
x = 10
x += 5
print(x)
x -= 3
print(x)
x *= 4
print(x)
x //= 5
print(x)
x %= 4
print(x)
x **= 3
print(x)
y = 10
y /= 4
print(y)
z = 1
for i in range(1, 11):
    z *= i
print("10! =", z)
print(-x, +x, -(-x))
print(1 + 2 * 3 - 4 / 2, (1 + 2) * (3 - 4) / 2)
print(2 ** 3 ** 2, (2 ** 3) ** 2)
print(100 // 7 // 2, 100 / 7 / 2)
print(0.5 + 0.25 == 0.75, 1 / 2 == 0.5, 7 // 2 == 3)
n = 12345
digits = 0
while n > 0:
    digits += n % 10
    n //= 10
print("digit sum", digits)
