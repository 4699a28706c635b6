//! Printing a tree and parsing it again gives the same tree; the printed form is canonical.

use super::*;

const SNIPPETS: &[&str] = &[
    "x = 1\n",
    "a, b = b, a\n",
    "(a, b), c = p\n",
    "a = b = c = []\n",
    "x.y[1:2, ::3, ..., None] += -y ** -2\n",
    "n: int = 10_000\n",
    "z: float\n",
    "t = ()\nu = (1,)\nv = 1,\nw = [(1, 2), [3]]\n",
    "d = {\"a\": 1, 2: [3], (4, 5): {}}\n",
    "s = 'it\\'s' \"\\n\\t\\\\ \\x00 é\"\n",
    "f'{x!r:>10} {y:.{p}f} {{}} {z=} {\"q\"}'\n",
    "f'{ {1: 2}[1]}'\n",
    "print(f\"{it:5d}: loss {loss.item():.4f}\")\n",
    "y = a if b else c if d else e\n",
    "y = (a if b else c) if d else e\n",
    "y = not a and (b or c) and not (d == e)\n",
    "y = (a or b) or c\n",
    "y = a < b < c != d in e not in f is g is not h\n",
    "y = (a < b) < c\n",
    "y = -x ** 2 + (-x) ** 2 + x ** -2 + (x ** 2) ** 3 + x ** 2 ** 3\n",
    "y = a - (b - c) - d\n",
    "y = a / (b * c) // d % e @ f\n",
    "y = a | b ^ c & d << e >> f\n",
    "y = (a | b) & c\n",
    "y = ~x + +x - -x\n",
    "y = - -x\n",
    "y = (1).real + 1.5.imag + x.real\n",
    "y = 1e-07 + 1e20 + 0.1 + 3.0 + 1e999\n",
    "y = f(*a, *b, k=1, **kw)\n",
    "y = sum(x for x in xs if x)\n",
    "y = f((x for x in xs), 1)\n",
    "y = [x * y for x in xs for y in ys if x if y]\n",
    "y = [(a, b) for a, b in zip(p, q)]\n",
    "y = [x for x in (a if b else c)]\n",
    "y = [x for x in xs if (a if b else c)]\n",
    "y = x[i][j](k).m\n",
    "y = x[()]\n",
    "y = x[(1, 2)]\n",
    "y = x[1,]\n",
    "if a:\n    pass\nelif b:\n    x = 1\nelse:\n    x = 2\n",
    "for i, (a, b) in enumerate(zip(p, q)):\n    if i:\n        continue\n    break\n",
    "while not done:\n    done = step()\n",
    "def f(a, b=1, *args, c, d=2, **kw) -> int:\n    return a, b\n",
    "def g(*, k):\n    return\n",
    "def h(x: float = 1.0, y: int = 2):\n    return x\n",
    "class A(nn.Module):\n    \"\"\"Doc.\"\"\"\n\n    def forward(self, x):\n        return x\n",
    "class B:\n    pass\n",
    "import torch, numpy as np\nfrom a.b import c as d, e\n",
    "with torch.no_grad(), open(p) as (f, g):\n    pass\n",
    "assert x, \"msg\"\ndel a, b[0], c.d\n",
    "x = 1; y = 2\n",
    "if x: y = 1\n",
    "x = ...  # TODO\n",
    "x = lambda_ + yield_ + match\n",
];

#[test]
fn every_snippet_round_trips() {
    for src in SNIPPETS {
        assert_round_trip(src);
    }
}

#[test]
fn printing_uses_minimal_parentheses() {
    assert_eq!(canon("y = ((a + b)) * (c)\n"), "y = (a + b) * c\n");
    assert_eq!(canon("y = (a * b) + c\n"), "y = a * b + c\n");
    assert_eq!(canon("y = a - (b - c)\n"), "y = a - (b - c)\n");
    assert_eq!(canon("y = (-x) ** 2\n"), "y = (-x) ** 2\n");
    assert_eq!(canon("y = -(x ** 2)\n"), "y = -x ** 2\n");
    assert_eq!(canon("y = (a ** b) ** c\n"), "y = (a ** b) ** c\n");
    assert_eq!(canon("y = a ** (b ** c)\n"), "y = a ** b ** c\n");
    assert_eq!(canon("y = not (a and b)\n"), "y = not (a and b)\n");
}

#[test]
fn printing_is_canonical() {
    assert_eq!(
        canon("if x :\n\tfor i in range( 3 ) :y=i;z  =  'a'\n"),
        "if x:\n    for i in range(3):\n        y = i\n        z = \"a\"\n"
    );
    assert_eq!(canon("class A():\n  pass\n"), "class A:\n    pass\n");
    assert_eq!(
        canon("def f(a,b = 1,*,c):\n  return (a,b)\n"),
        "def f(a, b=1, *, c):\n    return a, b\n"
    );
}

#[test]
fn the_labs_round_trip() {
    for (name, src) in super::labs::LABS {
        let text = assert_round_trip(src);
        assert!(!text.is_empty(), "{name}");
    }
}
