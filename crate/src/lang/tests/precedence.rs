//! Python's precedence and associativity, checked on the tree's shape.

use super::sx_of;

#[test]
fn multiplication_binds_tighter_than_addition() {
    assert_eq!(sx_of("a + b * c"), "(+ a (* b c))");
    assert_eq!(sx_of("a * b + c"), "(+ (* a b) c)");
}

#[test]
fn additive_and_multiplicative_operators_associate_left() {
    assert_eq!(sx_of("a - b - c"), "(- (- a b) c)");
    assert_eq!(sx_of("a / b / c"), "(/ (/ a b) c)");
    assert_eq!(sx_of("a // b % c"), "(% (// a b) c)");
}

#[test]
fn matmul_has_the_precedence_of_multiplication() {
    assert_eq!(sx_of("a @ b * c"), "(* (@ a b) c)");
    assert_eq!(sx_of("a + b @ c"), "(+ a (@ b c))");
    assert_eq!(sx_of("x @ W.T + b"), "(+ (@ x (. W T)) b)");
}

#[test]
fn power_is_right_associative() {
    assert_eq!(sx_of("a ** b ** c"), "(** a (** b c))");
}

#[test]
fn unary_minus_on_the_left_of_power_applies_after_it() {
    assert_eq!(sx_of("-x ** 2"), "(- (** x 2))");
    assert_eq!(sx_of("-x**2 + 1"), "(+ (- (** x 2)) 1)");
}

#[test]
fn power_takes_a_unary_exponent() {
    assert_eq!(sx_of("2 ** -1"), "(** 2 (- 1))");
    assert_eq!(sx_of("2 ** -x ** 2"), "(** 2 (- (** x 2)))");
}

#[test]
fn unary_minus_binds_tighter_than_multiplication() {
    assert_eq!(sx_of("-a * b"), "(* (- a) b)");
    assert_eq!(sx_of("--x"), "(- (- x))");
    assert_eq!(sx_of("~+x"), "(~ (+ x))");
}

#[test]
fn bitwise_operators_sit_between_comparison_and_arithmetic() {
    assert_eq!(
        sx_of("a | b ^ c & d << e + f"),
        "(| a (^ b (& c (<< d (+ e f)))))"
    );
    assert_eq!(sx_of("a >> 1 | b"), "(| (>> a 1) b)");
}

#[test]
fn comparisons_chain_into_one_node() {
    assert_eq!(sx_of("0 <= t < 1"), "(cmp 0 <= t < 1)");
    assert_eq!(
        sx_of("a < b > c == d != e >= f"),
        "(cmp a < b > c == d != e >= f)"
    );
}

#[test]
fn comparisons_bind_looser_than_arithmetic() {
    assert_eq!(sx_of("a + 1 < b * 2"), "(cmp (+ a 1) < (* b 2))");
    assert_eq!(sx_of("it % 500 == 0"), "(cmp (% it 500) == 0)");
}

#[test]
fn membership_and_identity_are_comparisons() {
    assert_eq!(sx_of("a in b"), "(cmp a in b)");
    assert_eq!(sx_of("a not in b"), "(cmp a not in b)");
    assert_eq!(sx_of("a is None"), "(cmp a is None)");
    assert_eq!(sx_of("a is not None"), "(cmp a is not None)");
    assert_eq!(sx_of("x in y is not z"), "(cmp x in y is not z)");
}

#[test]
fn not_binds_looser_than_comparison_and_tighter_than_and() {
    assert_eq!(sx_of("not a == b"), "(not (cmp a == b))");
    assert_eq!(sx_of("not a and b"), "(and (not a) b)");
    assert_eq!(sx_of("not not a"), "(not (not a))");
}

#[test]
fn and_binds_tighter_than_or_and_both_flatten() {
    assert_eq!(sx_of("a or b and c or d"), "(or a (and b c) d)");
    assert_eq!(sx_of("a and b and c"), "(and a b c)");
    assert_eq!(sx_of("(a or b) or c"), "(or (or a b) c)");
}

#[test]
fn conditional_expression_is_loosest_and_nests_to_the_right() {
    assert_eq!(sx_of("a if b else c if d else e"), "(if b a (if d c e))");
    assert_eq!(sx_of("x + 1 if c else y or z"), "(if c (+ x 1) (or y z))");
    assert_eq!(sx_of("(a if b else c) + 1"), "(+ (if b a c) 1)");
}

#[test]
fn trailers_bind_tightest() {
    assert_eq!(
        sx_of("-a.b[0](c) ** 2"),
        "(- (** (call ([] (. a b) 0) c) 2))"
    );
    assert_eq!(sx_of("f(x)(y)[1].z"), "(. ([] (call (call f x) y) 1) z)");
}

#[test]
fn parentheses_override_precedence() {
    assert_eq!(sx_of("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(sx_of("(-x) ** 2"), "(** (- x) 2)");
    assert_eq!(sx_of("(a ** b) ** c"), "(** (** a b) c)");
}

#[test]
fn the_labs_interpolation_parses_as_written() {
    assert_eq!(
        sx_of("(1 - t) * x_0 + t * x_1"),
        "(+ (* (- 1 t) x_0) (* t x_1))"
    );
    assert_eq!(
        sx_of("x_t + stepsize * self(x_t, t)"),
        "(+ x_t (* stepsize (call self x_t t)))"
    );
}
