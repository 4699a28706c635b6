//! Fixed-step ODE solvers for `dx/dt = f(x, t)` on a given time grid.
//!
//! The state is a flat `&[f32]` of any length (300 particles in 2-D are 600 values; the density
//! layer appends a log-density column). The velocity is a closure
//! `f(x, t, dx_dt)` that writes `dx_dt` (same length as `x`). Steps go from `grid[i]` to
//! `grid[i + 1]` with the signed step `h = grid[i + 1] - grid[i]`, so a grid running from 1
//! down to 0 integrates backwards in time.
//!
//! | solver | order | velocity evaluations per step |
//! |---|---|---|
//! | `euler` | 1 | 1 |
//! | `midpoint` | 2 | 2 |
//! | `heun` | 2 | 2 |
//! | `rk4` | 4 | 4 |
//!
//! [`Stepper`] holds the scratch buffers of one solver and can be kept across calls (the
//! page's animation takes one step per frame); [`integrate`] and [`trajectory`] allocate them
//! once per call, never per step.

use std::fmt;

/// Most floats [`trajectory`] may store (`grid.len() * x0.len()`): 200 MB of `f32`.
pub const MAX_STATES: usize = 50_000_000;

/// Most steps [`uniform_grid`] builds.
pub const MAX_STEPS: usize = 1_000_000;

/// A fixed-step integration rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solver {
    /// `x + h f(x, t)`: the lab's own step.
    Euler,
    /// Explicit midpoint: `x + h f(x + h/2 f(x, t), t + h/2)`.
    Midpoint,
    /// Heun (explicit trapezoid): the mean of the slopes at both ends of an Euler step.
    Heun,
    /// The classic fourth-order Runge-Kutta.
    Rk4,
}

impl Solver {
    /// The names [`Solver::from_name`] accepts, cheapest first.
    pub const ALL_NAMES: [&'static str; 4] = ["euler", "midpoint", "heun", "rk4"];

    /// The solver called `name` (one of [`Solver::ALL_NAMES`], ASCII case ignored).
    pub fn from_name(name: &str) -> Result<Solver, OdeError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "euler" => Ok(Solver::Euler),
            "midpoint" => Ok(Solver::Midpoint),
            "heun" => Ok(Solver::Heun),
            "rk4" => Ok(Solver::Rk4),
            _ => Err(OdeError::UnknownSolver {
                name: name.to_string(),
            }),
        }
    }

    /// The solver's name as in [`Solver::ALL_NAMES`].
    pub fn name(self) -> &'static str {
        match self {
            Solver::Euler => "euler",
            Solver::Midpoint => "midpoint",
            Solver::Heun => "heun",
            Solver::Rk4 => "rk4",
        }
    }

    /// How many times one step calls the velocity (the cost a step-count slider trades).
    pub fn evals_per_step(self) -> usize {
        match self {
            Solver::Euler => 1,
            Solver::Midpoint | Solver::Heun => 2,
            Solver::Rk4 => 4,
        }
    }

    /// The global error shrinks like `h^order`.
    pub fn order(self) -> u32 {
        match self {
            Solver::Euler => 1,
            Solver::Midpoint | Solver::Heun => 2,
            Solver::Rk4 => 4,
        }
    }
}

/// Why an integration could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum OdeError {
    /// The name is not one of [`Solver::ALL_NAMES`].
    UnknownSolver { name: String },
    /// A grid needs a start and an end.
    GridTooShort { len: usize },
    /// A grid time is NaN or infinite.
    NonFiniteTime { index: usize, t: f32 },
    /// [`uniform_grid`] was asked for 0 or more than [`MAX_STEPS`] steps.
    InvalidSteps { steps: usize },
    /// The trajectory would store more than [`MAX_STATES`] floats.
    TooManyStates { times: usize, dim: usize },
    /// A state handed to a [`Stepper`] has the wrong length.
    StateLength { len: usize, dim: usize },
}

impl fmt::Display for OdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OdeError::UnknownSolver { name } => write!(
                f,
                "unknown solver \"{name}\"; valid names are {}",
                Solver::ALL_NAMES.join(", ")
            ),
            OdeError::GridTooShort { len } => write!(
                f,
                "a time grid needs at least 2 times (start and end), but has {len}"
            ),
            OdeError::NonFiniteTime { index, t } => {
                write!(f, "time grid[{index}] must be finite, but is {t}")
            }
            OdeError::InvalidSteps { steps } => {
                write!(f, "steps must be between 1 and {MAX_STEPS}, but is {steps}")
            }
            OdeError::TooManyStates { times, dim } => write!(
                f,
                "a trajectory of {times} times x {dim} values would exceed {MAX_STATES} \
                 floats; use fewer steps or fewer points"
            ),
            OdeError::StateLength { len, dim } => write!(
                f,
                "the state must have {dim} values (the stepper's size), but has {len}"
            ),
        }
    }
}

impl std::error::Error for OdeError {}

/// `steps + 1` evenly spaced times from `t0` to `t1`, both ends exact (`t1 < t0` runs
/// backwards). `1 <= steps <= MAX_STEPS`; `t0`, `t1` finite. Returns (steps + 1,).
pub fn uniform_grid(t0: f32, t1: f32, steps: usize) -> Result<Vec<f32>, OdeError> {
    if steps == 0 || steps > MAX_STEPS {
        return Err(OdeError::InvalidSteps { steps });
    }
    for (index, t) in [(0, t0), (steps, t1)] {
        if !t.is_finite() {
            return Err(OdeError::NonFiniteTime { index, t });
        }
    }
    // in f64 so that the inner times are rounded once, then the ends are set exactly
    let (a, b) = (t0 as f64, t1 as f64);
    let mut grid: Vec<f32> = (0..=steps)
        .map(|i| (a + (b - a) * (i as f64 / steps as f64)) as f32)
        .collect();
    if let Some(last) = grid.last_mut() {
        *last = t1;
    }
    Ok(grid)
}

/// One solver's step with its scratch buffers, for states of a fixed length `dim`.
#[derive(Clone, Debug)]
pub struct Stepper {
    solver: Solver,
    /// Slopes of the stages: `k[0..evals_per_step]`, each (dim,).
    slopes: [Vec<f32>; 4],
    /// The state where the next stage's slope is taken: (dim,).
    probe: Vec<f32>,
}

impl Stepper {
    /// A stepper for states of `dim` values; allocates its buffers once.
    pub fn new(solver: Solver, dim: usize) -> Stepper {
        let stages = solver.evals_per_step();
        let slopes = std::array::from_fn(|k| if k < stages { vec![0.0; dim] } else { vec![] });
        Stepper {
            solver,
            slopes,
            probe: vec![0.0; dim],
        }
    }

    /// The solver this stepper applies.
    pub fn solver(&self) -> Solver {
        self.solver
    }

    /// The state length this stepper takes.
    pub fn dim(&self) -> usize {
        self.probe.len()
    }

    /// Advances `x`: (dim,) in place from time `t` to `t_next` (either direction), calling
    /// `f(x, t, dx_dt)` [`Solver::evals_per_step`] times. No allocation.
    pub fn step<F>(&mut self, f: &mut F, x: &mut [f32], t: f32, t_next: f32) -> Result<(), OdeError>
    where
        F: FnMut(&[f32], f32, &mut [f32]),
    {
        if x.len() != self.dim() {
            return Err(OdeError::StateLength {
                len: x.len(),
                dim: self.dim(),
            });
        }
        let h = t_next - t;
        let t_mid = t + 0.5 * h;
        let Stepper { slopes, probe, .. } = self;
        let [k1, k2, k3, k4] = slopes;
        match self.solver {
            Solver::Euler => {
                f(x, t, k1);
                axpy(x, h, k1);
            }
            Solver::Midpoint => {
                f(x, t, k1);
                offset(probe, x, 0.5 * h, k1);
                f(probe, t_mid, k2);
                axpy(x, h, k2);
            }
            Solver::Heun => {
                f(x, t, k1);
                offset(probe, x, h, k1);
                f(probe, t_next, k2);
                for ((xi, a), b) in x.iter_mut().zip(k1.iter()).zip(k2.iter()) {
                    *xi += 0.5 * h * (a + b);
                }
            }
            Solver::Rk4 => {
                f(x, t, k1);
                offset(probe, x, 0.5 * h, k1);
                f(probe, t_mid, k2);
                offset(probe, x, 0.5 * h, k2);
                f(probe, t_mid, k3);
                offset(probe, x, h, k3);
                f(probe, t_next, k4);
                let sixth = h / 6.0;
                let stages = k1.iter().zip(k2.iter()).zip(k3.iter()).zip(k4.iter());
                for (xi, (((a, b), c), d)) in x.iter_mut().zip(stages) {
                    *xi += sixth * (a + 2.0 * b + 2.0 * c + d);
                }
            }
        }
        Ok(())
    }
}

/// The state at the last grid time, starting from `x0` at `grid[0]`.
///
/// `x0`: (dim,); `grid`: (times,), `times >= 2`, finite. Returns (dim,).
pub fn integrate<F>(
    solver: Solver,
    f: &mut F,
    x0: &[f32],
    grid: &[f32],
) -> Result<Vec<f32>, OdeError>
where
    F: FnMut(&[f32], f32, &mut [f32]),
{
    integrate_each(solver, f, x0, grid, |_, _| {})
}

/// Every state along the grid: row `i` is the state at `grid[i]`, row 0 is `x0`.
///
/// `x0`: (dim,); `grid`: (times,), `times >= 2`, finite, `times * dim <= MAX_STATES`.
/// Returns (times, dim) row-major.
pub fn trajectory<F>(
    solver: Solver,
    f: &mut F,
    x0: &[f32],
    grid: &[f32],
) -> Result<Vec<f32>, OdeError>
where
    F: FnMut(&[f32], f32, &mut [f32]),
{
    let times = grid.len();
    let dim = x0.len();
    match times.checked_mul(dim) {
        Some(total) if total <= MAX_STATES => {
            let mut states = Vec::with_capacity(total);
            integrate_each(solver, f, x0, grid, |_, x| states.extend_from_slice(x))?;
            Ok(states)
        }
        _ => Err(OdeError::TooManyStates { times, dim }),
    }
}

/// [`integrate`] that also hands `visit(i, x)` the state at each `grid[i]`, `x0` included,
/// so callers can record, draw or report progress without storing a whole trajectory.
///
/// `x0`: (dim,); `grid`: (times,), `times >= 2`, finite. Returns the final state (dim,).
pub fn integrate_each<F, V>(
    solver: Solver,
    f: &mut F,
    x0: &[f32],
    grid: &[f32],
    mut visit: V,
) -> Result<Vec<f32>, OdeError>
where
    F: FnMut(&[f32], f32, &mut [f32]),
    V: FnMut(usize, &[f32]),
{
    check_grid(grid)?;
    let mut stepper = Stepper::new(solver, x0.len());
    let mut x = x0.to_vec();
    visit(0, &x);
    for (i, pair) in grid.windows(2).enumerate() {
        stepper.step(f, &mut x, pair[0], pair[1])?;
        visit(i + 1, &x);
    }
    Ok(x)
}

/// Checks that `grid` has a start and an end and only finite times.
fn check_grid(grid: &[f32]) -> Result<(), OdeError> {
    if grid.len() < 2 {
        return Err(OdeError::GridTooShort { len: grid.len() });
    }
    if let Some((index, &t)) = grid.iter().enumerate().find(|(_, t)| !t.is_finite()) {
        return Err(OdeError::NonFiniteTime { index, t });
    }
    Ok(())
}

/// `x += a * y`.
fn axpy(x: &mut [f32], a: f32, y: &[f32]) {
    for (xi, yi) in x.iter_mut().zip(y) {
        *xi += a * yi;
    }
}

/// `out = x + a * y`.
fn offset(out: &mut [f32], x: &[f32], a: f32, y: &[f32]) {
    for ((o, xi), yi) in out.iter_mut().zip(x).zip(y) {
        *o = xi + a * yi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dx/dt = -x`.
    fn decay(x: &[f32], _t: f32, dx: &mut [f32]) {
        for (d, v) in dx.iter_mut().zip(x) {
            *d = -v;
        }
    }

    /// `d(x, y)/dt = (-y, x)`: rotation at unit speed.
    fn rotation(x: &[f32], _t: f32, dx: &mut [f32]) {
        dx[0] = -x[1];
        dx[1] = x[0];
    }

    /// Error at t = 1 of `dx/dt = field(x, t)` from `x(0) = x0` against the exact `x(1)`.
    fn error_at_one<F>(solver: Solver, field: &mut F, x0: f32, exact: f64, steps: usize) -> f64
    where
        F: FnMut(&[f32], f32, &mut [f32]),
    {
        let grid = uniform_grid(0.0, 1.0, steps).unwrap();
        let x = integrate(solver, field, &[x0], &grid).unwrap();
        (x[0] as f64 - exact).abs()
    }

    /// Asserts that log2 of the error ratio, each time the step count doubles through `steps`,
    /// is within 0.15 of the solver's order.
    fn assert_order<F>(solver: Solver, field: &mut F, x0: f32, exact: f64, steps: &[usize])
    where
        F: FnMut(&[f32], f32, &mut [f32]),
    {
        let errors: Vec<f64> = steps
            .iter()
            .map(|&n| error_at_one(solver, field, x0, exact, n))
            .collect();
        for (pair, counts) in errors.windows(2).zip(steps.windows(2)) {
            let order = (pair[0] / pair[1]).log2();
            let want = solver.order() as f64;
            assert!(
                (order - want).abs() < 0.15,
                "{} order {order} from {counts:?} steps",
                solver.name()
            );
        }
    }

    fn assert_decay_order(solver: Solver, steps: &[usize]) {
        assert_order(solver, &mut decay, 1.0, (-1.0f64).exp(), steps);
    }

    #[test]
    fn euler_error_halves_when_the_step_halves() {
        assert_decay_order(Solver::Euler, &[8, 16, 32, 64]);
    }

    #[test]
    fn midpoint_error_quarters_when_the_step_halves() {
        assert_decay_order(Solver::Midpoint, &[8, 16, 32, 64]);
    }

    #[test]
    fn heun_error_quarters_when_the_step_halves() {
        assert_decay_order(Solver::Heun, &[8, 16, 32, 64]);
    }

    #[test]
    fn rk4_error_shrinks_sixteenfold_when_the_step_halves() {
        // On dx/dt = -x RK4's error at 16 steps (5e-8) is already f32 rounding, so only
        // 4 -> 8 steps is clean (observed order 4.13).
        assert_decay_order(Solver::Rk4, &[4, 8]);
        // dx/dt = 5 t^4 makes RK4 Simpson's rule, whose error is exactly h^4 / 24: no
        // higher-order terms, so the order shows cleanly over 2, 4 and 8 steps.
        let mut quartic = |_: &[f32], t: f32, dx: &mut [f32]| dx[0] = 5.0 * t * t * t * t;
        assert_order(Solver::Rk4, &mut quartic, 0.0, 1.0, &[2, 4, 8]);
    }

    #[test]
    fn rk4_keeps_the_radius_over_a_quarter_turn() {
        let grid = uniform_grid(0.0, std::f32::consts::FRAC_PI_2, 25).unwrap();
        let states = trajectory(Solver::Rk4, &mut rotation, &[1.0, 0.0], &grid).unwrap();
        for row in states.chunks_exact(2) {
            let radius = (row[0] as f64).hypot(row[1] as f64);
            assert!((radius - 1.0).abs() < 1e-5, "radius {radius}");
        }
        let end = &states[states.len() - 2..];
        assert!(
            end[0].abs() < 1e-5 && (end[1] - 1.0).abs() < 1e-5,
            "end {end:?}"
        );
    }

    #[test]
    fn integrating_backwards_returns_to_the_start() {
        for solver in [Solver::Euler, Solver::Midpoint, Solver::Heun, Solver::Rk4] {
            let forward = uniform_grid(0.0, 1.0, 200).unwrap();
            let backward = uniform_grid(1.0, 0.0, 200).unwrap();
            let x0 = [0.3, -0.8];
            let x1 = integrate(solver, &mut rotation, &x0, &forward).unwrap();
            let back = integrate(solver, &mut rotation, &x1, &backward).unwrap();
            // Euler's error is first order in h = 1/200; the others are far below 1e-4
            let tolerance = if solver == Solver::Euler { 1e-2 } else { 1e-4 };
            for (a, b) in back.iter().zip(&x0) {
                assert!((a - b).abs() < tolerance, "{} {back:?}", solver.name());
            }
        }
    }

    #[test]
    fn time_dependent_field_sees_the_stage_times() {
        // dx/dt = 2 t integrates exactly to x = t^2 for the second-order and higher rules
        let mut field = |_: &[f32], t: f32, dx: &mut [f32]| dx[0] = 2.0 * t;
        let grid = uniform_grid(0.0, 1.0, 4).unwrap();
        for solver in [Solver::Midpoint, Solver::Heun, Solver::Rk4] {
            let x = integrate(solver, &mut field, &[0.0], &grid).unwrap();
            assert!((x[0] - 1.0).abs() < 1e-6, "{} {}", solver.name(), x[0]);
        }
    }

    #[test]
    fn trajectory_rows_start_at_x0_and_end_at_the_integrated_state() {
        let grid = uniform_grid(0.0, 1.0, 10).unwrap();
        let x0 = [1.0, 2.0, 3.0];
        let states = trajectory(Solver::Heun, &mut decay, &x0, &grid).unwrap();
        let end = integrate(Solver::Heun, &mut decay, &x0, &grid).unwrap();
        assert_eq!(states.len(), 11 * 3);
        assert_eq!(&states[..3], &x0);
        assert_eq!(&states[30..], &end[..]);
    }

    #[test]
    fn velocity_is_called_evals_per_step_times_per_step() {
        for solver in [Solver::Euler, Solver::Midpoint, Solver::Heun, Solver::Rk4] {
            let mut calls = 0;
            let mut counting = |x: &[f32], t: f32, dx: &mut [f32]| {
                calls += 1;
                decay(x, t, dx);
            };
            let grid = uniform_grid(0.0, 1.0, 7).unwrap();
            integrate(solver, &mut counting, &[1.0], &grid).unwrap();
            assert_eq!(calls, 7 * solver.evals_per_step(), "{}", solver.name());
        }
    }

    #[test]
    fn uniform_grid_has_exact_ends_and_even_spacing() {
        let grid = uniform_grid(0.0, 1.0, 99).unwrap();
        assert_eq!(grid.len(), 100);
        assert_eq!((grid[0], grid[99]), (0.0, 1.0));
        for pair in grid.windows(2) {
            assert!(((pair[1] - pair[0]) as f64 - 1.0 / 99.0).abs() < 1e-7);
        }
        let backward = uniform_grid(1.0, -0.5, 3).unwrap();
        assert_eq!(backward, vec![1.0, 0.5, 0.0, -0.5]);
    }

    #[test]
    fn solver_names_round_trip_and_unknown_names_list_the_valid_ones() {
        for name in Solver::ALL_NAMES {
            assert_eq!(Solver::from_name(name).unwrap().name(), name);
        }
        assert_eq!(Solver::from_name("RK4").unwrap(), Solver::Rk4);
        assert_eq!(
            Solver::from_name("leapfrog").unwrap_err().to_string(),
            "unknown solver \"leapfrog\"; valid names are euler, midpoint, heun, rk4"
        );
    }

    #[test]
    fn short_or_non_finite_grids_are_rejected() {
        let err = integrate(Solver::Euler, &mut decay, &[1.0], &[0.0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a time grid needs at least 2 times (start and end), but has 1"
        );
        let err = integrate(Solver::Euler, &mut decay, &[1.0], &[0.0, f32::NAN, 1.0]).unwrap_err();
        assert_eq!(err.to_string(), "time grid[1] must be finite, but is NaN");
        let err = uniform_grid(0.0, f32::INFINITY, 10).unwrap_err();
        assert_eq!(err.to_string(), "time grid[10] must be finite, but is inf");
        let err = uniform_grid(0.0, 1.0, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "steps must be between 1 and 1000000, but is 0"
        );
    }

    #[test]
    fn oversized_trajectory_is_rejected_before_allocating() {
        let grid = uniform_grid(0.0, 1.0, 1000).unwrap();
        let x0 = vec![0.0; 50_000];
        let err = trajectory(Solver::Euler, &mut decay, &x0, &grid).unwrap_err();
        assert_eq!(
            err,
            OdeError::TooManyStates {
                times: 1001,
                dim: 50_000
            }
        );
    }

    #[test]
    fn stepper_rejects_a_state_of_the_wrong_length() {
        let mut stepper = Stepper::new(Solver::Rk4, 2);
        let mut x = [1.0, 2.0, 3.0];
        let err = stepper.step(&mut decay, &mut x, 0.0, 0.1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the state must have 2 values (the stepper's size), but has 3"
        );
    }
}
