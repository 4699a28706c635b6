# Control flow: if/elif/else, while, for, break/continue/pass, boolean logic.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"

for n in [-5, 0, 3, 10, 99]:
    print(n, classify(n))
i = 0
while i < 10:
    i += 1
    if i % 2 == 0:
        continue
    if i > 7:
        break
    print("odd", i)
print("after while", i)
for i in range(3):
    for j in range(3):
        if j == i:
            continue
        if j > 1:
            break
        print(i, j)
for x in [1, 2, 3]:
    pass
print("pass ok", x)
print(1 < 2 < 3, 3 > 2 > 2, 1 < 3 > 2, 1 == 1.0 != 2)
x = 5
print(0 < x <= 5, 0 < x < 5, -1 <= -x + 4 < 0)
print(True and False, True or False, not True, not 0, not [])
print(0 or "default", "" or [] or 7, 3 and 4, 0 and 4, None or 0)
print(1 if x > 3 else 2, "big" if x > 100 else "small")
sign = -1 if x < 0 else (0 if x == 0 else 1)
print(sign)
count = 0
n = 27
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    count += 1
print("collatz steps", count)
found = -1
for idx, val in enumerate([4, 8, 15, 16, 23, 42]):
    if val > 15:
        found = idx
        break
print("first > 15 at", found)
total = 0
k = 0
while True:
    k += 1
    if k % 3 == 0:
        continue
    total += k
    if k >= 10:
        break
print(total, k)
flag = False
if not flag and x == 5:
    print("branch A")
if flag or x != 5:
    print("branch B")
else:
    print("branch C")
if []:
    print("nonempty")
elif [0]:
    print("list with zero is truthy")
if 0.0:
    print("zero float truthy")
else:
    print("zero float falsy")
