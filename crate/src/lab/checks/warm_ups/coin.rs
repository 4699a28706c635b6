//! The coin: `nll(p, flips)` and `mle(flips)`, on the attendee's own flips and on test sequences.

use super::*;

/// Test sequences of the coin: heads and tails in different numbers, so that a formula with
/// them swapped gives other values.
const SEQUENCES: [&str; 3] = ["HTTTT", "HHHHHHT", "HTHTTHTTT"];
/// Values of p the NLL is evaluated at.
const PS: [f32; 5] = [0.1, 0.3, 0.5, 0.7, 0.9];

/// The attendee's own flips, if they are a sequence of H and T.
fn own_flips(s: &mut Session) -> Option<String> {
    match global(s, "flips") {
        Some(Value::Str(f)) if !f.is_empty() && f.chars().all(|c| c == 'H' || c == 'T') => {
            Some(f.to_string())
        }
        _ => None,
    }
}

/// The sequences a coin check runs on: the attendee's own first, then the test ones.
fn sequences(s: &mut Session) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = own_flips(s).into_iter().map(|f| (f, true)).collect();
    out.extend(SEQUENCES.iter().map(|f| (f.to_string(), false)));
    out
}

/// Sets the coin's variables for `flips` as the flips cell does, then runs `call`.
fn coin_probe(s: &mut Session, flips: &str, call: &str) -> Result<Vec<f32>, Verdict> {
    let code = format!(
        "flips = \"{flips}\"\nn = len(flips)\nn_heads = flips.count(\"H\")\nn_tails = flips.count(\"T\")\nprobe_p = torch.tensor({})\nprobe_v = {call}\n",
        list(&PS)
    );
    let shown = call.replace("probe_p", "p");
    match s.probe(&code, PROBE_OPS) {
        Ok(left) => result(&left, &shown),
        Err(e) => fail(format!(
            "{shown} with flips = \"{flips}\" and p a tensor of 5 values fails: {}",
            e.message
        )),
    }
}

fn counts(flips: &str) -> (f32, f32) {
    let h = flips.chars().filter(|&c| c == 'H').count() as f32;
    (h, flips.len() as f32 - h)
}

/// A coin rule: the values a formula gives for a sequence of flips.
type Rule<'a> = &'a dyn Fn(&str) -> Vec<f32>;

/// The NLL of `flips` at each of [`PS`] by `f(p, h, t)`.
fn coin_values(flips: &str, f: impl Fn(f32, f32, f32) -> f32) -> Vec<f32> {
    let (h, t) = counts(flips);
    PS.iter().map(|&p| f(p, h, t)).collect()
}

/// The attendee's values on every sequence against `rule`'s: pass, the first hint whose rule
/// matches on every sequence, the attendee's own flips right but a test sequence wrong (a
/// formula on globals), or `otherwise` for the first sequence that is wrong.
fn judge_coin(
    runs: &[(String, bool, Vec<f32>)],
    rule: Rule,
    hints: &[(Rule, &str)],
    call: &str,
    otherwise: &dyn Fn(&str, &[f32]) -> String,
) -> Result<(), Verdict> {
    let right = |f: Rule| runs.iter().all(|(s, _, got)| near(got, &f(s)));
    if right(rule) {
        return Ok(());
    }
    for (f, hint) in hints {
        if right(*f) {
            return fail(*hint);
        }
    }
    let wrong = runs
        .iter()
        .find(|(s, _, got)| !near(got, &rule(s)))
        .expect("some run is wrong");
    if let Some((mine, _, _)) = runs
        .iter()
        .find(|(s, own, got)| *own && near(got, &rule(s)))
    {
        return fail(format!(
            "{call} is right for your flips but not for flips = \"{}\": count the heads and tails of the argument flips, not of global variables (your flips are \"{mine}\")",
            wrong.0
        ));
    }
    fail(otherwise(&wrong.0, &wrong.2))
}

/// `nll(p, flips)` is `-(h log p + t log(1 - p))` for a tensor of p, or that divided by n.
pub(super) fn nll(s: &mut Session) -> Outcome {
    defined(s, "nll")?;
    let mut runs = Vec::new();
    for (flips, own) in sequences(s) {
        let got = coin_probe(s, &flips, "nll(probe_p, flips)")?;
        if got.len() != PS.len() {
            return fail(format!(
                "nll(p, flips) returns {} value{} for a tensor of {} values of p: it should return one NLL per p (use torch.log, which works on every value at once, and sum over the flips, not over p)",
                got.len(),
                if got.len() == 1 { "" } else { "s" },
                PS.len()
            ));
        }
        runs.push((flips, own, got));
    }
    let sum = |f: &str| coin_values(f, |p, h, t| -(h * p.ln() + t * (1.0 - p).ln()));
    let mean = |f: &str| coin_values(f, |p, h, t| -(h * p.ln() + t * (1.0 - p).ln()) / (h + t));
    if judge_coin(&runs, &mean, &[], "", &|_, _| String::new()).is_ok() {
        return Ok("nll(p, flips) is the mean NLL per flip: n times smaller than -log L(p), with the same minimiser p-hat, so it is fine here (the sum is -log L(p) itself)".into());
    }
    let log_l = |f: &str| coin_values(f, |p, h, t| h * p.ln() + t * (1.0 - p).ln());
    let mean_log_l =
        |f: &str| coin_values(f, |p, h, t| (h * p.ln() + t * (1.0 - p).ln()) / (h + t));
    let l = |f: &str| coin_values(f, |p, h, t| p.powf(h) * (1.0 - p).powf(t));
    let minus_l = |f: &str| coin_values(f, |p, h, t| -p.powf(h) * (1.0 - p).powf(t));
    let no_log = |f: &str| coin_values(f, |p, h, t| -(h * p + t * (1.0 - p)));
    let swapped = |f: &str| coin_values(f, |p, h, t| -(t * p.ln() + h * (1.0 - p).ln()));
    let heads_only = |f: &str| coin_values(f, |p, h, _| -(h * p.ln()));
    let hints: [(Rule, &str); 7] = [
        (&log_l, "the sign is flipped: this is the log-likelihood log L(p), which is maximised; the NLL is its negative, -(h log p + t log(1 - p)), minimised at the same p"),
        (&mean_log_l, "the sign is flipped: this is the mean log-likelihood; the NLL is its negative"),
        (&l, "this is the likelihood L(p) = p^h (1 - p)^t itself: the NLL is -log L(p)"),
        (&minus_l, "the log is missing: -L(p) has the same minimiser, but the NLL is -log L(p) = -(h log p + t log(1 - p)), a sum where L is a product that underflows"),
        (&no_log, "the log is missing: each head contributes log p and each tail log(1 - p), not p and 1 - p"),
        (&swapped, "heads and tails are swapped: p is the probability of heads, so the heads contribute log p and the tails log(1 - p)"),
        (&heads_only, "only the heads are counted: the tails contribute t log(1 - p) too"),
    ];
    let otherwise = |flips: &str, got: &[f32]| {
        let (h, t) = counts(flips);
        format!(
            "for flips = \"{flips}\" ({h} heads, {t} tails) and p = {}, nll(p, flips) returns {}, but -(h log p + t log(1 - p)) is {}",
            list(&PS),
            list(got),
            list(&sum(flips))
        )
    };
    judge_coin(&runs, &sum, &hints, "nll(p, flips)", &otherwise)?;
    Ok("nll(p, flips) = -(h log p + t log(1 - p)) for every p of a tensor".into())
}

/// `mle(flips)` is the fraction of heads.
pub(super) fn mle(s: &mut Session) -> Outcome {
    defined(s, "mle")?;
    let mut runs = Vec::new();
    for (flips, own) in sequences(s) {
        let got = coin_probe(s, &flips, "mle(flips)")?;
        if got.len() != 1 {
            return fail(format!(
                "mle(flips) returns {} values: p-hat is one number",
                got.len()
            ));
        }
        runs.push((flips, own, got));
    }
    let of = |f: fn(f32, f32) -> f32| {
        move |flips: &str| {
            let (h, t) = counts(flips);
            vec![f(h, t)]
        }
    };
    let heads = of(|h, t| h / (h + t));
    let tails = of(|h, t| t / (h + t));
    let count = of(|h, _| h);
    let odds = of(|h, t| h / t);
    let upside_down = of(|h, t| (h + t) / h);
    let floor = of(|h, t| (h / (h + t)).floor());
    let half = of(|_, _| 0.5);
    let hints: [(Rule, &str); 6] = [
        (
            &half,
            "mle(flips) is always 0.5: the estimate depends on the flips, p-hat = h / n",
        ),
        (
            &tails,
            "this is the fraction of tails: p is the probability of heads, so p-hat = h / n",
        ),
        (
            &count,
            "this is the number of heads: divide by the number of flips n",
        ),
        (
            &odds,
            "this is heads per tail (the odds): p-hat = h / n, with n = h + t flips",
        ),
        (&upside_down, "upside down: p-hat = h / n"),
        (&floor, "integer division: h // n rounds down; use h / n"),
    ];
    let otherwise = |flips: &str, got: &[f32]| {
        let (h, t) = counts(flips);
        format!(
            "for flips = \"{flips}\" ({h} heads of {}) mle(flips) returns {}, but the NLL is smallest at {}",
            h + t,
            got[0],
            h / (h + t)
        )
    };
    judge_coin(&runs, &heads, &hints, "mle(flips)", &otherwise)?;
    Ok("mle(flips) = h / n, the fraction of heads".into())
}
