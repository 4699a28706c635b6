//! The labs (feature `lang`), each written once in a Python file with its blanks marked and
//! derived for each mode. The workshop's flow matching notebook, `flow_matching.py`
//! ([`Lab::flow_matching`], named `"flow-matching"`): **full** (every cell filled), **mid** (the
//! training loop's body blank) and **todo** (the Euler step, the batch, the interpolation, the
//! target, the loss, the generation step and the plots blank). The lecture's warm-ups,
//! `warm_ups.py` ([`Lab::warm_ups`], `"warm-ups"`): the coin's negative log-likelihood and
//! maximum likelihood estimate, the 1-D pushforward's change of variables, and a planar flow's
//! log-likelihood trained on two moons, in full and todo. After a cell runs, [`checks`] tests each of its blanks by what the attendee's code
//! does ([`Lab::check`]).
//!
//! ```
//! use flowlab::lab::{Lab, Mode};
//! let lab = Lab::flow_matching();
//! let todo = lab.cells(Mode::Todo);
//! let training = todo.iter().find(|c| c.id == "training").unwrap();
//! assert!(training.text.contains("x_t = ...  # TODO"));
//! ```

pub mod checks;
mod export;
pub mod model;
mod source;

pub use checks::{check, Check, Status};
pub use export::{Imported, MAX_IMPORT_BYTES};

/// Which version of the lab an attendee works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Full,
    Mid,
    Todo,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Full, Mode::Mid, Mode::Todo];

    pub fn parse(name: &str) -> Result<Mode, String> {
        match name {
            "full" => Ok(Mode::Full),
            "mid" => Ok(Mode::Mid),
            "todo" => Ok(Mode::Todo),
            other => Err(format!("unknown mode {other:?}: use full, mid or todo")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::Mid => "mid",
            Mode::Todo => "todo",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// Text between the code cells (Markdown with `$...$` formulas).
    Markdown,
    Code,
    /// A question with an answer the page reveals on request.
    Question,
}

/// A cell as written in the source (code cells keep their blank markers).
#[derive(Clone, Debug)]
pub struct Cell {
    pub id: String,
    pub kind: CellKind,
    pub title: String,
    source: String,
    pub answer: Option<String>,
    /// From the course version of the lab: in every mode, never blank.
    pub extra: bool,
}

impl Cell {
    fn new(id: String, kind: CellKind, title: String, source: String, extra: bool) -> Cell {
        Cell {
            id,
            kind,
            title,
            source,
            answer: None,
            extra,
        }
    }
}

/// A part of the lab that some modes leave for the attendee to write.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Blank {
    pub id: String,
    #[serde(skip)]
    pub modes: Vec<Mode>,
    /// What the check tests, as the page lists it ("noise x_0").
    pub title: String,
    /// The text after `# TODO:` in the cell.
    pub todo: String,
    /// Progressive hints: a nudge first, then the lecture's formula.
    pub hints: Vec<String>,
    /// The cell it is in.
    pub cell: String,
    /// The full version's code for it.
    pub solution: String,
}

/// A cell as one mode shows it: what the page puts in the editor (or typesets), and the
/// blanks it asks for.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CellView {
    pub id: String,
    pub kind: CellKind,
    pub title: String,
    pub text: String,
    pub answer: Option<String>,
    pub extra: bool,
    pub blanks: Vec<Blank>,
}

/// A lab: its cells and blanks.
#[derive(Clone, Debug)]
pub struct Lab {
    /// Its name in the API and in links (`"flow-matching"`, `"warm-ups"`).
    pub name: &'static str,
    /// What an exported file's first line calls it.
    pub title: &'static str,
    /// The Python packages an exported file needs, in words.
    pub needs: &'static str,
    cells: Vec<Cell>,
    blanks: Vec<Blank>,
}

/// A shipped lab: its name, the title of its exported files, what it needs, its source.
struct Shipped {
    name: &'static str,
    title: &'static str,
    needs: &'static str,
    source: &'static str,
}

const SHIPPED: [Shipped; 2] = [
    Shipped {
        name: "flow-matching",
        title: "Flow matching on two moons",
        needs: "PyTorch, scikit-learn and matplotlib",
        source: include_str!("flow_matching.py"),
    },
    Shipped {
        name: "warm-ups",
        title: "Warm-ups before flow matching",
        needs: "PyTorch, scikit-learn and matplotlib",
        source: include_str!("warm_ups.py"),
    },
];

/// Every shipped lab's name, the default first.
pub const LAB_NAMES: [&str; 2] = [SHIPPED[0].name, SHIPPED[1].name];

impl Lab {
    /// Reads a lab source; the error names the line and what is wrong. The lab is named
    /// `"custom"` (its checks are the flow matching lab's).
    pub fn parse(source: &str) -> Result<Lab, String> {
        let (cells, blanks) = source::parse(source)?;
        Ok(Lab {
            name: "custom",
            title: "A lab",
            needs: "PyTorch and matplotlib",
            cells,
            blanks,
        })
    }

    /// The shipped lab called `name` (see [`LAB_NAMES`]); the error lists the names.
    pub fn named(name: &str) -> Result<Lab, String> {
        let shipped = SHIPPED.iter().find(|s| s.name == name).ok_or_else(|| {
            format!(
                "unknown lab {name:?}: the labs are {}",
                LAB_NAMES.join(", ")
            )
        })?;
        let lab = Lab::parse(shipped.source).expect("the shipped labs parse (tested)");
        Ok(Lab {
            name: shipped.name,
            title: shipped.title,
            needs: shipped.needs,
            ..lab
        })
    }

    /// The flow matching lab on two moons (`flow_matching.py`).
    pub fn flow_matching() -> Lab {
        Lab::named("flow-matching").expect("shipped")
    }

    /// The lecture's warm-ups (`warm_ups.py`): the coin, the 1-D pushforward and a planar flow.
    pub fn warm_ups() -> Lab {
        Lab::named("warm-ups").expect("shipped")
    }

    /// The modes this lab has: full, and each mode some blank is blank in (in [`Mode::ALL`]'s
    /// order).
    pub fn modes(&self) -> Vec<Mode> {
        Mode::ALL
            .into_iter()
            .filter(|m| *m == Mode::Full || self.blanks.iter().any(|b| b.modes.contains(m)))
            .collect()
    }

    /// The mode called `name`, if this lab has it; the error lists the ones it has.
    pub fn mode(&self, name: &str) -> Result<Mode, String> {
        let mode = Mode::parse(name)?;
        let modes = self.modes();
        if modes.contains(&mode) {
            Ok(mode)
        } else {
            let names: Vec<&str> = modes.iter().map(|m| m.name()).collect();
            Err(format!(
                "the {} lab has no {name} version: use {}",
                self.name,
                names.join(" or ")
            ))
        }
    }

    /// Checks `blank`, one of this lab's blanks, on the session's namespace.
    pub fn check(&self, session: &mut crate::lang::interp::Session, blank: &str) -> Check {
        match self.name {
            "warm-ups" => checks::check_warm_up(session, blank),
            _ => check(session, blank),
        }
    }

    /// Every cell as `mode` shows it.
    pub fn cells(&self, mode: Mode) -> Vec<CellView> {
        self.cells
            .iter()
            .map(|c| CellView {
                id: c.id.clone(),
                kind: c.kind,
                title: c.title.clone(),
                text: match c.kind {
                    CellKind::Code => source::derive(&c.source, mode, &self.blanks),
                    _ => c.source.clone(),
                },
                answer: c.answer.clone(),
                extra: c.extra,
                blanks: self
                    .blanks
                    .iter()
                    .filter(|b| b.cell == c.id && b.modes.contains(&mode))
                    .cloned()
                    .collect(),
            })
            .collect()
    }

    /// One blank's description.
    pub fn blank(&self, id: &str) -> Option<&Blank> {
        self.blanks.iter().find(|b| b.id == id)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod warm_up_tests;
