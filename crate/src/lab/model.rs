//! The notebook's own model, for the Density view: the attendee's trained `flow` (a `Flow`
//! module whose `net` is an `nn.Sequential` of linear layers and one activation, which the
//! interpreter runs as the engine's [`Mlp`]), so log p1 is computed on the model just trained.

use crate::lang::interp::value::{Layer, Value};
use crate::lang::interp::Session;
use crate::nn::Mlp;

/// The velocity network behind the global `name` (an instance with a `net`, or the
/// `nn.Sequential` itself); the error says what to run or change.
pub fn velocity_net(session: &mut Session, name: &str) -> Result<Mlp, String> {
    let value = session.vm().globals.get(name).cloned().ok_or_else(|| {
        format!("the notebook has no `{name}` yet: run its Velocity definition and Training cells first")
    })?;
    let layer = match &value {
        Value::Instance(inst) => inst.get("net").ok_or_else(|| {
            format!("`{name}` has no `net`: the Density view reads the lab's Flow model, whose network is self.net")
        })?,
        other => other.clone(),
    };
    let net = match &layer {
        Value::Layer(l) => match &**l {
            Layer::Sequential(_, Some((mlp, _))) => Some(mlp.clone()),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| {
        format!("`{name}.net` is not an nn.Sequential of Linear layers with one activation between them, so its density cannot be computed here")
    })?;
    crate::flow::check_velocity_net(&net).map_err(|e| format!("`{name}.net`: {e}"))?;
    Ok(net)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{Lab, Mode};

    #[test]
    fn the_notebooks_flow_is_found_and_missing_models_are_explained() {
        let mut s = Session::new(0);
        assert!(velocity_net(&mut s, "flow")
            .unwrap_err()
            .contains("run its Velocity definition"));
        let cells = Lab::flow_matching().cells(Mode::Full);
        let code = |id: &str| cells.iter().find(|c| c.id == id).unwrap().text.clone();
        s.run(&code("imports")).unwrap();
        s.run(&code("velocity-definition")).unwrap();
        s.run("flow = Flow()\nplain = 3\nodd = nn.Sequential(nn.Linear(3, 2))")
            .unwrap();
        let net = velocity_net(&mut s, "flow").unwrap();
        assert_eq!((net.in_features(), net.out_features()), (3, 2));
        assert!(velocity_net(&mut s, "plain")
            .unwrap_err()
            .contains("not an nn.Sequential"));
        // a single Linear is a Sequential the engine runs fused, and it maps (t, x, y) to 2-D
        assert!(velocity_net(&mut s, "odd").is_ok());
    }
}
