use super::*;

/// Small models, so each test trains in well under a second.
fn small() -> CompareOptions {
    CompareOptions {
        batch: 64,
        held_out: 200,
        planar_layers: 4,
        coupling_layers: 4,
        hidden: 16,
        cnf_steps: 2,
        ..CompareOptions::default()
    }
}

fn report(name: &'static str, steps: usize, seconds: f64, nll: f32, w2: f32) -> ModelReport {
    ModelReport {
        name,
        steps,
        seconds,
        seconds_per_step: (steps > 0).then(|| seconds / steps as f64),
        objective: "nll",
        recent_loss: None,
        held_out_nll: Some(nll),
        sliced_w2: Some(w2),
        failure: None,
    }
}

#[test]
fn every_model_trains_and_is_measured_the_same_way() {
    let mut c = Comparison::new(small()).unwrap();
    for model in MODELS {
        assert_eq!(c.train(model, 3).unwrap(), 3, "{model}");
        c.add_seconds(model, 0.25).unwrap();
    }
    let m = c.measure(1).unwrap();
    assert_eq!(m.reports.len(), 4);
    for r in &m.reports {
        assert_eq!(r.steps, 3, "{r:?}");
        assert_eq!(r.seconds_per_step, Some(0.25 / 3.0));
        assert!(r.held_out_nll.unwrap().is_finite(), "{r:?}");
        assert!(r.sliced_w2.unwrap() > 0.0, "{r:?}");
        assert!(r.failure.is_none());
    }
    assert_eq!(m.findings.len(), 4);
    assert!(m.findings.iter().all(|f| f.agrees.is_some()));
    let grid = c
        .log_density_grid("cnf", [-3.0, 3.0, -3.0, 3.0], 8, 6)
        .unwrap();
    assert_eq!(grid.len(), 48);
    assert!(grid.iter().all(|v| v.is_finite()));
    assert_eq!(c.samples("planar", 10, 0).unwrap().len(), 20);
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let run = || {
        let mut c = Comparison::new(small()).unwrap();
        for model in MODELS {
            c.train(model, 2).unwrap();
        }
        let m = c.measure(3).unwrap();
        m.reports
            .iter()
            .map(|r| (r.held_out_nll, r.sliced_w2))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}

#[test]
fn bad_requests_name_the_value_and_the_fix() {
    let err = |o: CompareOptions| Comparison::new(o).err().unwrap().to_string();
    assert!(err(CompareOptions {
        held_out: 0,
        ..small()
    })
    .contains("heldOut"));
    assert!(err(CompareOptions {
        dataset: "points".into(),
        ..small()
    })
    .contains("named data set"));
    assert!(err(CompareOptions {
        cnf_solver: "leapfrog".into(),
        ..small()
    })
    .contains("leapfrog"));
    assert!(err(CompareOptions {
        cnf_steps: 1000,
        ..small()
    })
    .contains("cnfSteps"));
    let mut c = Comparison::new(small()).unwrap();
    let e = c.train("glow", 1).unwrap_err().to_string();
    assert!(e.contains("planar, realnvp, cnf, flow-matching"), "{e}");
    assert!(c.add_seconds("planar", f64::NAN).is_err());
    assert!(c.samples("planar", 0, 0).is_err());
    assert!(c.log_density("planar", &[1.0, 2.0, 3.0]).is_err());
    let unknown = serde_json::from_str::<CompareOptions>(r#"{"layers": 3}"#)
        .unwrap_err()
        .to_string();
    assert!(unknown.contains("unknown field `layers`"), "{unknown}");
}

#[test]
fn findings_follow_the_numbers() {
    let lecture = [
        report("planar", 500, 5.0, 1.4, 0.30),
        report("realnvp", 400, 5.0, 0.6, 0.08),
        report("cnf", 50, 5.0, 0.9, 0.15),
        report("flow-matching", 2000, 5.0, 0.5, 0.05),
    ];
    let f = Comparison::findings(&lecture);
    assert_eq!(
        f.iter().map(|f| f.agrees).collect::<Vec<_>>(),
        [Some(true), Some(true), Some(false), Some(true)]
    );
    assert!(f[1].measured.contains("40.0x"), "{}", f[1].measured);
    assert!(f[2].measured.contains("no divergence in 50 steps"));

    // a run that contradicts the lecture says so
    let mut other = lecture.clone();
    other[0] = report("planar", 500, 5.0, 0.55, 0.04);
    other[2].failure = Some("the NLL became NaN at step 7".into());
    let f = Comparison::findings(&other);
    assert_eq!(f[0].agrees, Some(false));
    assert_eq!(f[2].agrees, Some(true));
    assert!(f[2].measured.contains("NaN at step 7"));
    assert_eq!(
        f[3].agrees,
        Some(false),
        "planar's samples beat flow matching's here"
    );

    // untrained models are not judged
    let none: Vec<ModelReport> = lecture
        .iter()
        .map(|r| report(r.name, 0, 0.0, 2.8, 1.0))
        .collect();
    assert!(Comparison::findings(&none)
        .iter()
        .all(|f| f.agrees.is_none()));
}
