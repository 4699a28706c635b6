//! Byte-for-byte parity with CPython 3.11, PyTorch 2.15 and numpy 2.4: the golden cases in
//! `tests/golden/pyfmt_cases.json` (written by `make_pyfmt_cases.py`), a few readable
//! examples, and inputs that must not panic.

use super::*;
use serde_json::Value;

const CASES: &str = include_str!("../../../../tests/golden/pyfmt_cases.json");

fn cases(section: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(CASES).expect("pyfmt_cases.json parses");
    all[section]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no section {section}"))
}

fn f64_bits(v: &Value) -> f64 {
    f64::from_bits(u64::from_str_radix(v.as_str().unwrap(), 16).unwrap())
}

fn f32_data(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().parse::<f32>().unwrap())
        .collect()
}

fn shape(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect()
}

/// `{"ok": text}` or `{"err": message}` as a Result.
fn expected(case: &Value) -> Result<String, String> {
    match case.get("ok") {
        Some(ok) => Ok(ok.as_str().unwrap().to_string()),
        None => Err(case["err"].as_str().unwrap().to_string()),
    }
}

/// Fails with the first mismatches and their count.
fn report(name: &str, total: usize, failures: Vec<String>) {
    assert!(total > 0, "{name}: no cases");
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(8).map(String::as_str).collect();
        panic!(
            "{name}: {} of {total} differ:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
}

#[test]
fn golden_float_repr() {
    let cases = cases("float_repr");
    let mut bad = Vec::new();
    for c in &cases {
        let x = f64_bits(&c["x"]);
        let (got, want) = (float_repr(x), c["repr"].as_str().unwrap());
        if got != want {
            bad.push(format!("{x:e}: got {got:?}, want {want:?}"));
        }
    }
    report("float_repr", cases.len(), bad);
}

#[test]
fn golden_format_float() {
    let cases = cases("format_float");
    let mut bad = Vec::new();
    for c in &cases {
        let (x, spec) = (f64_bits(&c["x"]), c["spec"].as_str().unwrap());
        let (got, want) = (format_float(x, spec), expected(c));
        if got != want {
            bad.push(format!(
                "format({x:e}, {spec:?}): got {got:?}, want {want:?}"
            ));
        }
    }
    report("format_float", cases.len(), bad);
}

#[test]
fn golden_format_int() {
    let cases = cases("format_int");
    let mut bad = Vec::new();
    for c in &cases {
        let (v, spec) = (c["v"].as_i64().unwrap(), c["spec"].as_str().unwrap());
        let (got, want) = (format_int(v, spec), expected(c));
        if got != want {
            bad.push(format!("format({v}, {spec:?}): got {got:?}, want {want:?}"));
        }
    }
    report("format_int", cases.len(), bad);
}

#[test]
fn golden_format_str_and_repr() {
    let cases_fmt = cases("format_str");
    let mut bad = Vec::new();
    for c in &cases_fmt {
        let (s, spec) = (c["s"].as_str().unwrap(), c["spec"].as_str().unwrap());
        let (got, want) = (format_str(s, spec), expected(c));
        if got != want {
            bad.push(format!(
                "format({s:?}, {spec:?}): got {got:?}, want {want:?}"
            ));
        }
    }
    report("format_str", cases_fmt.len(), bad);
    let cases_repr = cases("str_repr");
    let mut bad = Vec::new();
    for c in &cases_repr {
        let s = c["s"].as_str().unwrap();
        let (got, want) = (str_repr(s), c["repr"].as_str().unwrap());
        if got != want {
            bad.push(format!("repr({s:?}): got {got}, want {want}"));
        }
    }
    report("str_repr", cases_repr.len(), bad);
}

#[test]
fn golden_torch() {
    let cases = cases("torch");
    let mut bad = Vec::new();
    for c in &cases {
        let (data, shape) = (f32_data(&c["data"]), shape(&c["shape"]));
        let suffixes: Vec<String> = c["suffixes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        let (got, want) = (
            torch_repr(&data, &shape, &suffixes),
            c["expect"].as_str().unwrap(),
        );
        if got != want {
            bad.push(format!(
                "shape {shape:?} {suffixes:?}:\n--- got\n{got}\n--- want\n{want}"
            ));
        }
    }
    report("torch", cases.len(), bad);
}

#[test]
fn golden_numpy() {
    let cases = cases("numpy");
    let mut bad = Vec::new();
    for c in &cases {
        let (data, shape) = (f32_data(&c["data"]), shape(&c["shape"]));
        for (got, key) in [
            (numpy_str(&data, &shape), "str"),
            (numpy_repr(&data, &shape), "repr"),
        ] {
            let want = c[key].as_str().unwrap();
            if got != want {
                bad.push(format!(
                    "{key} shape {shape:?}:\n--- got\n{got}\n--- want\n{want}"
                ));
            }
        }
    }
    report("numpy", cases.len(), bad);
}

#[test]
fn readable_examples() {
    assert_eq!(float_repr(1.0), "1.0");
    assert_eq!(float_repr(1e-5), "1e-05");
    assert_eq!(float_repr(1e16), "1e+16");
    assert_eq!(float_repr(1.2345678901234567e20), "1.2345678901234567e+20");
    assert_eq!(float_repr(-0.0), "-0.0");
    // An exact tie between two shortest candidates goes to the even digit.
    assert_eq!(float_repr(-850529238492592.0 - 0.25), "-850529238492592.2");
    assert_eq!(
        numpy_str_typed(&[1193540.0 + 0.25], &[1], true),
        "[1193540.2]"
    );
    assert_eq!(numpy_str(&[1193540.0 + 0.25], &[1]), "[1193540.25]");
    assert_eq!(float_repr(f64::NAN), "nan");
    assert_eq!(format_float(1.23456, ".2f").unwrap(), "1.23");
    assert_eq!(format_float(2.5, ".0f").unwrap(), "2");
    assert_eq!(format_float(1234567.891, ",.2f").unwrap(), "1,234,567.89");
    assert_eq!(format_float(0.1234, ".1%").unwrap(), "12.3%");
    assert_eq!(format_float(-0.0001, "z.2f").unwrap(), "0.00");
    assert_eq!(format_int(255, "#010x").unwrap(), "0x000000ff");
    assert_eq!(format_int(1234, "08,").unwrap(), "0,001,234");
    assert_eq!(
        format_int(5, "z").unwrap_err(),
        "Negative zero coercion (z) not allowed in integer format specifier"
    );
    assert_eq!(
        format_int(5, ".2").unwrap_err(),
        "Precision not allowed in integer format specifier"
    );
    assert_eq!(
        format_int(5, "q").unwrap_err(),
        "Unknown format code 'q' for object of type 'int'"
    );
    assert_eq!(format_str("ab", "*^6").unwrap(), "**ab**");
    assert_eq!(str_repr("it's"), "\"it's\"");
    assert_eq!(torch_repr(&[1.5], &[], &[]), "tensor(1.5000)");
    assert_eq!(
        torch_repr(&[1.0, 2.0, 3.0], &[3], &[]),
        "tensor([1., 2., 3.])"
    );
    assert_eq!(
        torch_repr(&[1e-5, 1.0], &[2], &[]),
        "tensor([1.0000e-05, 1.0000e+00])"
    );
    assert_eq!(torch_repr(&[], &[0, 2], &[]), "tensor([], size=(0, 2))");
    let grad = ["requires_grad=True".to_string()];
    assert_eq!(
        torch_repr(&[1.0, 2.0, 3.0, 4.0], &[2, 2], &grad),
        "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"
    );
    assert_eq!(
        numpy_str(&[0.0, 0.25, 0.5, 0.75, 1.0], &[5]),
        "[0.   0.25 0.5  0.75 1.  ]"
    );
    assert_eq!(
        numpy_str(&[1.0, 2.0, 3.0, 4.0], &[2, 2]),
        "[[1. 2.]\n [3. 4.]]"
    );
    assert_eq!(
        numpy_repr(&[0.0, 0.25, 0.5], &[3]),
        "array([0.  , 0.25, 0.5 ])"
    );
    assert_eq!(numpy_str(&[0.1, 1.23456], &[2]), "[0.1     1.23456]");
}

#[test]
fn bad_shapes_and_values_do_not_panic() {
    let data = [1.0f32, f32::NAN, f32::INFINITY, -0.0];
    let shapes: [&[usize]; 8] = [
        &[],
        &[2],
        &[4],
        &[usize::MAX, 2],
        &[usize::MAX, usize::MAX, 0],
        &[0],
        &[2, 2],
        &[1; 200],
    ];
    for shape in shapes {
        for d in [&data[..], &data[..1], &[][..]] {
            let _ = torch_repr(d, shape, &["grad_fn=<AddBackward0>".to_string()]);
            let _ = numpy_str(d, shape);
            let _ = numpy_repr(d, shape);
        }
    }
    // A size that does not match the data is shown flat.
    assert_eq!(torch_repr(&[1.0, 2.0], &[3], &[]), "tensor([1., 2.])");
    assert_eq!(
        numpy_str(&[1.0, 2.0], &[1_000_000_000, 1_000_000_000]),
        "[1. 2.]"
    );
    let big: Vec<f32> = (0..5000).map(|i| i as f32).collect();
    assert!(torch_repr(&big, &[5000], &[]).contains("..."));
    assert!(format_float(1.0, "1000001").is_err());
    assert!(format_float(1.0, ".1000001f").is_err());
    assert_eq!(
        format_int(0x110000, "c").unwrap_err(),
        "%c arg not in range(0x110000)"
    );
    assert_eq!(format_int(0xd800, "c").unwrap(), "\u{fffd}");
    for spec in [
        "",
        "é<",
        "<<",
        "..",
        ".",
        "0",
        "00",
        "%%",
        "z#0,.3%",
        "\u{10ffff}^9",
    ] {
        let _ = (
            format_int(i64::MIN, spec),
            format_float(f64::MIN_POSITIVE, spec),
            format_str("x", spec),
        );
    }
}

#[test]
fn int64_tensors_print_as_pytorch_prints_them() {
    // outputs of PyTorch 2.15 for the same int64 values
    assert_eq!(
        torch_repr_typed(&[-3.0, 0.0, -4.0, -4.0, -3.0, -5.0], &[2, 3], &[], true),
        "tensor([[-3,  0, -4],\n        [-4, -3, -5]])"
    );
    assert_eq!(torch_repr_typed(&[7.0], &[], &[], true), "tensor(7)");
    assert_eq!(
        torch_repr_typed(&[], &[0], &[], true),
        "tensor([], dtype=torch.int64)"
    );
    assert_eq!(
        torch_repr_typed(&[], &[0, 3], &[], true),
        "tensor([], size=(0, 3), dtype=torch.int64)"
    );
    let mut many = vec![0.0f32; 2000];
    for (i, v) in many.iter_mut().enumerate() {
        *v = [0.0, 1.0, 0.0][i % 3];
    }
    many[1997..].copy_from_slice(&[0.0, 1.0, 0.0]);
    assert_eq!(
        torch_repr_typed(&many, &[2000], &[], true),
        "tensor([0, 1, 0,  ..., 0, 1, 0])"
    );
    // 12 five-digit numbers wrap after 10 per line, right-aligned to the widest
    let wide: Vec<f32> = (0..12)
        .map(|i| if i == 3 { 471.0 } else { 49255.0 })
        .collect();
    assert_eq!(
        torch_repr_typed(&wide, &[12], &[], true),
        "tensor([49255, 49255, 49255,   471, 49255, 49255, 49255, 49255, 49255, 49255,\n        49255, 49255])"
    );
}
