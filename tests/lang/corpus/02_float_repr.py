# How Python prints floats: shortest round-trip repr, exponent forms.
print(0.1 + 0.2)
print(0.1 + 0.7, 0.3 - 0.1, 1.1 * 3)
print(1e-05, 1e-4, 0.0001, 0.00001234)
print(1e16, 1e15, 123456789012345678.0, 1.5e16)
print(1e22, 1e-7, 2.5e-8, 3.0e300)
print(1.0, 2.50, 100.0, -0.5, 0.0, -0.0)
print(1 / 3, 2 / 7, 22 / 7)
print(1e3, 1e6, 12345.678)
print(float(7), float(-3), float("2.5"), float("1e-3"))
print(0.1 * 3, 0.1 * 10, 3 * 0.1 == 0.3)
print(9007199254740993.0, 2.0 ** 53)
print(1.0 / 1024, 1.0 / 3 * 3)
print(0.125, 0.2 + 0.1 - 0.3)
s = 0.0
for i in range(10):
    s += 0.1
print(s)
print(str(0.1), str(1e-10), str(1e20), str(1.0e21))
values = [0.5, 1e-5, 1e16, 3.14159, -2.0]
print(values)
print((1.5, 2.25), [0.1 + 0.2])
print(round(2.675, 2), round(1.005, 2), round(0.125, 2))
print(int(2.9999), int(-2.9999), int(1e10))
print(abs(-0.25), abs(-3), abs(0.0))
print(10 / 4, 10 // 4, 10.0 // 4, 10 % 4.0)
print(2 ** 0.5, 3 ** -2, 10 ** -3)
print(1e-05 * 10, 5e-324 > 0, 1.7976931348623157e308)
