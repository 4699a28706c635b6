//! The normalizing flow's `log_prob(x, layers)`, with the attendee's layers and with a flow the
//! check builds, against what the same layer objects give.

use super::*;

/// Test points of the flow's log-likelihood, on the moons and off them.
const POINTS: [[f32; 2]; 6] = [
    [0.0, 0.0],
    [1.0, 0.5],
    [-1.0, 0.2],
    [2.0, -0.3],
    [0.5, -0.4],
    [1.5, 1.2],
];

/// A flow of the check's own, besides the attendee's `layers`: other layers, another count.
const FRESH_FLOW: &str = "from flowlab import PlanarFlow as probe_P, AffineCoupling as probe_A
torch.manual_seed(7)
probe_layers = [probe_P(), probe_A(keep=1, hidden=8), probe_P()]
";

/// A tensor the probe left, as (shape, values).
fn left_tensor(left: &HashMap<Rc<str>, Value>, name: &str) -> Option<(Vec<usize>, Vec<f32>)> {
    match left.get(name) {
        Some(Value::Tensor(t)) => Some((t.var.shape(), t.var.value().data().to_vec())),
        _ => None,
    }
}

/// What the layers of one flow do to [`POINTS`]: the last z, each layer's log-determinant,
/// and the points run through the inverses (in the layers' order and in reverse).
struct FlowRun {
    /// Which flow: the attendee's `layers` or the check's own.
    name: &'static str,
    setup: &'static str,
    z: Vec<f32>,
    log_dets: Vec<Vec<f32>>,
    inverse: Vec<f32>,
    inverse_reversed: Vec<f32>,
}

/// The flow `layers` (set up by `setup`) on [`POINTS`], or None if it is not a list of flow
/// layers.
fn flow_run(
    s: &mut Session,
    name: &'static str,
    setup: &'static str,
    layers: &str,
) -> Option<FlowRun> {
    let code = format!(
        "import torch\n{setup}probe_x = torch.tensor({points:?})\nprobe_z = probe_x\nprobe_lds = []\nfor probe_l in {layers}:\n    probe_z, probe_d = probe_l(probe_z)\n    probe_lds.append(probe_d)\nprobe_ld = torch.stack(probe_lds)\nprobe_zi = probe_x\nfor probe_l in {layers}:\n    probe_zi = probe_l.inverse(probe_zi)\nprobe_zr = probe_x\nfor probe_l in reversed({layers}):\n    probe_zr = probe_l.inverse(probe_zr)\n",
        points = POINTS.map(|p| p.to_vec()).to_vec()
    );
    let left = s.probe(&code, PROBE_OPS).ok()?;
    let (_, z) = left_tensor(&left, "probe_z")?;
    let (shape, lds) = left_tensor(&left, "probe_ld")?;
    let n = POINTS.len();
    if shape.len() != 2 || shape[1] != n || z.len() != 2 * n {
        return None;
    }
    Some(FlowRun {
        name,
        setup,
        z,
        log_dets: lds.chunks(n).map(|c| c.to_vec()).collect(),
        inverse: left_tensor(&left, "probe_zi")?.1,
        inverse_reversed: left_tensor(&left, "probe_zr")?.1,
    })
}

/// `log N(z; 0, Id)` of each point of `z` (rows of 2).
fn log_base(z: &[f32]) -> Vec<f32> {
    z.chunks(2)
        .map(|p| log_normal(p[0]) + log_normal(p[1]))
        .collect()
}

fn add(a: &[f32], b: &[f32]) -> Vec<f32> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

fn scale(a: &[f32], k: f32) -> Vec<f32> {
    a.iter().map(|x| x * k).collect()
}

fn mean(a: &[f32]) -> f32 {
    a.iter().sum::<f32>() / a.len() as f32
}

impl FlowRun {
    /// The sum of the layers' log-determinants at each point.
    fn total_log_det(&self) -> Vec<f32> {
        let mut total = vec![0.0; POINTS.len()];
        for ld in &self.log_dets {
            total = add(&total, ld);
        }
        total
    }

    /// log p1 of each point: the change of variables.
    fn log_prob(&self) -> Vec<f32> {
        add(&log_base(&self.z), &self.total_log_det())
    }
}

/// A mistake of `log_prob`: its values from a flow's run, and its hint.
type FlowRule = (fn(&FlowRun) -> Vec<f32>, &'static str);

const FLOW_MISTAKES: [FlowRule; 12] = [
    (
        |r| log_base(&r.z),
        "the log-determinants are missing: log p1(x) = log p0(f(x)) + the sum of every layer's log|det J|; add up the log_det each layer returns (z, ld = layer(z)) and add the sum to log p0(z)",
    ),
    (
        |r| add(&log_base(&r.z), &scale(&r.total_log_det(), -1.0)),
        "the log-determinants have the wrong sign: the layers map data to noise (f = T^-1), so log p1(x) = log p0(f(x)) + sum log|det J_fk|, with a plus",
    ),
    (
        |r| add(&log_base(&r.z), r.log_dets.last().expect("a layer")),
        "only the last layer's log-determinant is counted: add each layer's to a running total (log_det = log_det + ld), not log_det = ld",
    ),
    (
        |r| add(&log_base(&r.z), &r.log_dets[0]),
        "only the first layer's log-determinant is counted: add each layer's to a running total inside the loop",
    ),
    (
        |r| scale(&r.log_prob(), -1.0),
        "this is -log p1(x), the negative log-likelihood of each point: return log p1(x) itself (the training cell takes the minus and the mean)",
    ),
    (
        |r| vec![mean(&r.log_prob())],
        "this is the mean over the points: return one log p1 per point, shape (n,) (the training cell takes the mean)",
    ),
    (
        |r| vec![-mean(&r.log_prob())],
        "this is the loss, the mean negative log-likelihood: return log p1(x) per point, shape (n,); the training cell takes -mean",
    ),
    (
        |r| {
            let all: f32 = log_base(&r.z).iter().sum();
            r.total_log_det().iter().map(|d| all + d).collect()
        },
        "the base log-density is summed over every point and coordinate (.sum()): sum it over the two coordinates only, .sum(1), for one log p0(z) per point",
    ),
    (
        |r| {
            let c = 0.5 * (2.0 * std::f32::consts::PI).ln();
            r.log_prob().iter().map(|v| v + c).collect()
        },
        "the constant of log p0: in 2-D, log N(z; 0, Id) = -|z|^2 / 2 - log(2 pi), half a log(2 pi) per coordinate",
    ),
    (
        |r| {
            let c = (2.0 * std::f32::consts::PI).ln();
            r.log_prob().iter().map(|v| v + c).collect()
        },
        "the normalising constant of p0 is missing: log N(z; 0, Id) = -|z|^2 / 2 - log(2 pi) in 2-D",
    ),
    (
        |r| {
            let x: Vec<f32> = POINTS.iter().flatten().copied().collect();
            add(&log_base(&x), &r.total_log_det())
        },
        "log p0 is evaluated at x: evaluate it at z = f(x), the points that come out of the last layer",
    ),
    (
        |r| log_base(&r.inverse),
        "layer.inverse goes the other way, from noise to data: log p1(x) runs x through the layers themselves, z, ld = layer(z), which map data to noise and give the log-determinants",
    ),
];

/// `log_prob(x, layers)` is `log p0(f(x)) + sum_k log|det J_fk|`, one value per point, with the
/// attendee's layers and with the check's own flow.
pub(super) fn log_prob(s: &mut Session) -> Outcome {
    defined(s, "log_prob")?;
    let mut runs = Vec::new();
    let own = matches!(global(s, "layers"), Some(Value::List(_)));
    if own {
        runs.extend(flow_run(s, "your layers", "", "layers"));
    }
    match flow_run(s, "a flow of 3 other layers", FRESH_FLOW, "probe_layers") {
        Some(r) => runs.push(r),
        None => return fail("the check could not build its test flow (PlanarFlow, AffineCoupling): is flowlab shadowed by a name of yours?"),
    }
    let n = POINTS.len();
    let mut got = Vec::new();
    for r in &runs {
        let layers = if r.setup.is_empty() {
            "layers"
        } else {
            "probe_layers"
        };
        let code = format!(
            "import torch\n{}probe_x = torch.tensor({:?})\nprobe_v = log_prob(probe_x, {layers})\n",
            r.setup,
            POINTS.map(|p| p.to_vec()).to_vec()
        );
        let call = format!(
            "log_prob(x, layers) with {} and x of shape ({n}, 2)",
            r.name
        );
        let left = match s.probe(&code, PROBE_OPS) {
            Ok(left) => left,
            Err(e) => {
                let m = &e.message;
                if m.contains(&format!("({n}, 2)"))
                    && m.contains(&format!("({n},)"))
                    && m.contains("broadcast")
                {
                    return fail(format!("the base log-density has one value per coordinate, shape ({n}, 2), and the log-determinants one per point, shape ({n},): sum log p0 over the two coordinates first, Normal(0, 1).log_prob(z).sum(1) ({call} fails: {m})"));
                }
                if m.contains("to unpack") {
                    return fail(format!("a layer called as layer(z) returns the pair (z, log_det); if you called layer.inverse(z), it returns only points, and goes the other way (noise to data) ({call} fails: {m})"));
                }
                if m.contains("out of range") && !r.setup.is_empty() {
                    return fail(format!("loop over the layers given as the argument (for layer in layers), however many there are: {call} fails: {m}"));
                }
                return fail(format!("{call} fails: {m}"));
            }
        };
        let (shape, values) = match left.get("probe_v") {
            Some(Value::Tensor(t)) => (t.var.shape(), t.var.value().data().to_vec()),
            _ => (vec![], result(&left, "log_prob(x, layers)")?),
        };
        if values.len() == 2 * n {
            return fail(format!(
                "log_prob(x, layers) returns shape {} for {n} points: the base log-density Normal(0, 1).log_prob(z) has one value per coordinate; sum it over the two coordinates, .sum(1), for one log p1 per point, shape ({n},)",
                crate::tensor::shape_str(&shape)
            ));
        }
        if values.len() != n && values.len() != 1 {
            return fail(format!(
                "log_prob(x, layers) returns {} values for {n} points: it should return one log p1 per point, shape ({n},)",
                values.len()
            ));
        }
        got.push(values);
    }
    let all = |f: &dyn Fn(&FlowRun) -> Vec<f32>| runs.iter().zip(&got).all(|(r, g)| near(g, &f(r)));
    if all(&|r| r.log_prob()) {
        return Ok("log_prob(x, layers) = log p0(f(x)) + the sum of the layers' log|det J|, one value per point".into());
    }
    for (rule, hint) in FLOW_MISTAKES {
        if all(&rule) {
            return fail(hint);
        }
    }
    if all(&|r| log_base(&r.inverse_reversed)) {
        return fail(FLOW_MISTAKES[FLOW_MISTAKES.len() - 1].1);
    }
    let (r, g) = runs
        .iter()
        .zip(&got)
        .find(|(r, g)| !near(g, &r.log_prob()))
        .expect("some run is wrong");
    fail(format!(
        "with {} and x = torch.tensor({POINTS:?}), log_prob(x, layers) returns {}, but log p0(f(x)) + sum log|det J| is {}",
        r.name,
        list(g),
        list(&r.log_prob())
    ))
}
