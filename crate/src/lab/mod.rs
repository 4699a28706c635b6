//! The lab itself (feature `lang`): the workshop's flow matching notebook, written once in
//! `flow_matching.py` with its blanks marked, and derived for each mode: **full** (every cell
//! filled), **mid** (the training loop's body blank) and **todo** (the Euler step, the batch,
//! the interpolation, the target, the loss, the generation step and the plots blank). After a
//! cell runs, [`checks`] tests each of its blanks by what the attendee's code does.
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
    cells: Vec<Cell>,
    blanks: Vec<Blank>,
}

/// The workshop's lab, as shipped.
const FLOW_MATCHING: &str = include_str!("flow_matching.py");

impl Lab {
    /// Reads a lab source; the error names the line and what is wrong.
    pub fn parse(source: &str) -> Result<Lab, String> {
        let (cells, blanks) = source::parse(source)?;
        Ok(Lab { cells, blanks })
    }

    /// The flow matching lab on two moons (`flow_matching.py`).
    pub fn flow_matching() -> Lab {
        Lab::parse(FLOW_MATCHING).expect("the shipped lab parses (tested)")
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
