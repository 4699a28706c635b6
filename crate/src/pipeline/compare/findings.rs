//! The lecture's claims about the four models, each held against the numbers of one run: the
//! planar flow's limited expressivity, the CNF's cost per step and its instability, and flow
//! matching's samples. Where the numbers disagree, the finding says what was measured.

use super::{Comparison, ModelReport};

/// One of the lecture's claims, and whether this run's numbers agree with it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub claim: &'static str,
    /// What was measured, in numbers.
    pub measured: String,
    /// `None` while the models involved have not trained.
    pub agrees: Option<bool>,
}

impl Comparison {
    /// The lecture's claims about the four models, each with the numbers of this run that
    /// bear on it. `reports` are [`Comparison::report`]s of all four models.
    pub fn findings(reports: &[ModelReport]) -> Vec<Finding> {
        let get = |name: &str| reports.iter().find(|r| r.name == name && r.steps > 0);
        let (planar, realnvp, cnf, fm) = (
            get("planar"),
            get("realnvp"),
            get("cnf"),
            get("flow-matching"),
        );
        let mut findings = Vec::new();
        findings.push(match (planar, realnvp, fm) {
            (Some(p), Some(r), Some(f)) => {
                let (pn, rn, fnll) = (nll(p), nll(r), nll(f));
                Finding {
                    claim: "Planar flows: the constraints on the architecture restrict its expressivity.",
                    measured: format!(
                        "held-out NLL: planar {pn:.3}, RealNVP {rn:.3}, flow matching {fnll:.3} nats; sliced W2: planar {:.3}, flow matching {:.3}",
                        w2(p),
                        w2(f)
                    ),
                    agrees: Some(pn > rn.min(fnll) + 0.05 && w2(p) > w2(f)),
                }
            }
            _ => not_yet(
                "Planar flows: the constraints on the architecture restrict its expressivity.",
            ),
        });
        findings.push(match (cnf, fm) {
            (Some(c), Some(f)) => {
                let ratio = per_step(c) / per_step(f);
                Finding {
                    claim: "A CNF trained by likelihood solves ODEs inside training, so each step costs more.",
                    measured: format!(
                        "a CNF step took {ratio:.1}x a flow-matching step: {} vs {} steps in the same time",
                        c.steps, f.steps
                    ),
                    agrees: Some(ratio > 1.5),
                }
            }
            _ => not_yet(
                "A CNF trained by likelihood solves ODEs inside training, so each step costs more.",
            ),
        });
        findings.push(match (cnf, realnvp) {
            (Some(c), Some(r)) => match &c.failure {
                Some(why) => Finding {
                    claim: "Training a CNF by likelihood is unstable.",
                    measured: format!("the CNF's training stopped: {why}"),
                    agrees: Some(true),
                },
                None => Finding {
                    claim: "Training a CNF by likelihood is unstable.",
                    measured: format!(
                        "no divergence in {} steps; its held-out NLL {:.3} vs RealNVP's {:.3} nats",
                        c.steps,
                        nll(c),
                        nll(r)
                    ),
                    agrees: Some(false),
                },
            },
            _ => not_yet("Training a CNF by likelihood is unstable."),
        });
        let rivals: Vec<&ModelReport> = [planar, realnvp, cnf].into_iter().flatten().collect();
        findings.push(match fm {
            Some(f) if !rivals.is_empty() => {
                let best = rivals
                    .iter()
                    .min_by(|a, b| w2(a).total_cmp(&w2(b)))
                    .expect("rivals is not empty");
                Finding {
                    claim: "Flow matching trains a CNF without simulation and reaches the best samples.",
                    measured: format!(
                        "sliced W2: flow matching {:.3}, best of the others {} {:.3}",
                        w2(f),
                        best.name,
                        w2(best)
                    ),
                    agrees: Some(w2(f) <= w2(best)),
                }
            }
            _ => not_yet(
                "Flow matching trains a CNF without simulation and reaches the best samples.",
            ),
        });
        findings
    }
}

fn nll(r: &ModelReport) -> f32 {
    r.held_out_nll.unwrap_or(f32::NAN)
}

fn w2(r: &ModelReport) -> f32 {
    r.sliced_w2.unwrap_or(f32::NAN)
}

fn per_step(r: &ModelReport) -> f64 {
    r.seconds_per_step.unwrap_or(f64::NAN)
}

fn not_yet(claim: &'static str) -> Finding {
    Finding {
        claim,
        measured: "not measured yet: train the models first".into(),
        agrees: None,
    }
}
