# Strings: concatenation, repetition, indexing, slicing, len, str().
s = "flow matching"
print(s)
print(len(s))
print(s[0], s[-1], s[5], s[-8])
print(s[0:4], s[5:], s[:4], s[-8:], s[::2], s[::-1])
print(s[1:-1], s[-3:-1], s[100:], s[:0] == "")
t = "ab" * 3
print(t, len(t))
u = s + "!" + " " + str(42)
print(u)
print("a" + "b" == "ab", "abc" < "abd", "Z" < "a")
name = "Ada"
greeting = "Hello, " + name + "."
print(greeting)
print(str(3), str(3.5), str(True), str(None), str([1, 2]), str((1, "x")))
print(repr("quote"), repr('it\'s'), repr("tab\there"))
print("line1\nline2")
print("tab\tseparated")
print('single', "double", """triple""")
print("back\\slash")
word = ""
for ch in "abc":
    word = ch + word
print(word)
count = 0
for ch in "mississippi":
    if ch == "s":
        count += 1
print("s count:", count)
parts = ["x", "y", "z"]
joined = ""
for i, p in enumerate(parts):
    if i > 0:
        joined += "-"
    joined += p
print(joined)
print(int("42") + 1, float("0.25") * 4, int("-7"))
print(len(""), len(" "), len("\n"))
letters = [c for c in "hello"]
print(letters)
print(list("abc"), tuple("xy"))
print("=" * 20)
