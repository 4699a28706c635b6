//! The notebook as one Python file and back: the attendee's cells in jupytext's percent format
//! (`# %% Title` blocks, text as `# %% [markdown]` comments), a script that runs in real Python
//! with PyTorch, scikit-learn and matplotlib, and that [`Lab::import`] reads back.

use super::source::slug;
use super::{CellKind, Lab, Mode};
use std::collections::BTreeMap;

/// Files larger than this are not read (an exported lab is about 12 kB).
pub const MAX_IMPORT_BYTES: usize = 1 << 20;

/// What an imported file holds.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Imported {
    /// The version named on its first line, if any.
    pub mode: Option<Mode>,
    /// The text of each of the lab's code cells it has, by cell id.
    pub cells: BTreeMap<String, String>,
    /// Titles of code cells the lab does not have (ignored).
    pub unknown: Vec<String>,
}

impl Lab {
    /// The whole lab in `mode` as one Python file, as the workshop distributes it; the course's
    /// extra cells only with `extras`.
    pub fn script(&self, mode: Mode, extras: bool) -> String {
        self.export(mode, &BTreeMap::new(), extras)
    }

    /// The lab in `mode` as one Python file, with `texts` (code by cell id) in place of the
    /// mode's own code where given.
    pub fn export(&self, mode: Mode, texts: &BTreeMap<String, String>, extras: bool) -> String {
        let mut out = format!(
            "# {}: the {} lab (flowlab).\n\
             # Runs in Python 3 with {}; each `# %%` block is a cell\n\
             # (VS Code, Spyder, or Jupyter with jupytext run them one at a time).\n",
            self.title,
            mode.name(),
            self.needs
        );
        for c in self.cells(mode) {
            if c.extra && !extras {
                continue;
            }
            out.push('\n');
            match c.kind {
                CellKind::Code => {
                    let text = texts.get(&c.id).unwrap_or(&c.text);
                    out.push_str(&format!("# %% {}\n{}\n", c.title, text.trim_end()));
                }
                CellKind::Markdown | CellKind::Question => {
                    let tag = if c.kind == CellKind::Markdown {
                        "markdown"
                    } else {
                        "question"
                    };
                    out.push_str(&format!("# %% [{tag}]\n{}\n", comment(&c.text)));
                    if let Some(a) = &c.answer {
                        out.push_str(&format!("\n# %% [answer]\n{}\n", comment(a)));
                    }
                }
            }
        }
        out
    }

    /// Reads a file in the percent format (one that [`Lab::export`] wrote, or edited by hand):
    /// the version on its first line and the code of each cell whose title is one of the lab's.
    pub fn import(&self, source: &str) -> Result<Imported, String> {
        if source.len() > MAX_IMPORT_BYTES {
            return Err(format!(
                "the file has {} bytes, more than the {} an exported lab could have: is it the right file?",
                source.len(),
                MAX_IMPORT_BYTES
            ));
        }
        let first = source.lines().next().unwrap_or("");
        let mode = self
            .modes()
            .into_iter()
            .find(|m| first.contains(&format!("the {} lab", m.name())));
        let code_ids: Vec<String> = self
            .cells(Mode::Full)
            .into_iter()
            .filter(|c| c.kind == CellKind::Code)
            .map(|c| c.id)
            .collect();
        let mut imported = Imported {
            mode,
            cells: BTreeMap::new(),
            unknown: Vec::new(),
        };
        let mut current: Option<(String, Vec<&str>)> = None;
        let finish = |cell: Option<(String, Vec<&str>)>, imported: &mut Imported| {
            if let Some((title, lines)) = cell {
                let id = slug(&title);
                if code_ids.contains(&id) {
                    let start = lines.iter().position(|l| !l.trim().is_empty());
                    let end = lines.iter().rposition(|l| !l.trim().is_empty());
                    let text = match (start, end) {
                        (Some(s), Some(e)) => lines[s..=e].join("\n"),
                        _ => String::new(),
                    };
                    imported.cells.insert(id, text);
                } else {
                    imported.unknown.push(title);
                }
            }
        };
        for line in source.lines() {
            if let Some(header) = line.strip_prefix("# %%") {
                finish(current.take(), &mut imported);
                let header = header.trim();
                if !header.starts_with('[') {
                    let title = header.trim_end_matches("[extra]").trim().to_string();
                    current = Some((title, Vec::new()));
                }
            } else if let Some((_, lines)) = current.as_mut() {
                lines.push(line);
            }
        }
        finish(current.take(), &mut imported);
        if imported.cells.is_empty() {
            return Err(
                format!(
                    "no cell of the lab in this file: its cells start with {}, ... as an exported lab's do",
                    code_titles(self)
                ),
            );
        }
        Ok(imported)
    }
}

/// The first three code cells' headers, `# %% Imports`, ... (for the import error).
fn code_titles(lab: &Lab) -> String {
    lab.cells(Mode::Full)
        .iter()
        .filter(|c| c.kind == CellKind::Code)
        .take(3)
        .map(|c| format!("`# %% {}`", c.title))
        .collect::<Vec<_>>()
        .join(", ")
}

fn comment(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "#".to_string()
            } else {
                format!("# {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exported_lab_imports_back_exactly() {
        let lab = Lab::flow_matching();
        let mut texts = BTreeMap::new();
        texts.insert("training".to_string(), "x = 1\n\n\nprint(x)".to_string());
        texts.insert("imports".to_string(), "import torch  # mine".to_string());
        for mode in Mode::ALL {
            let file = lab.export(mode, &texts, true);
            let back = lab.import(&file).unwrap();
            assert_eq!(back.mode, Some(mode));
            assert!(back.unknown.is_empty(), "{:?}", back.unknown);
            for c in lab.cells(mode) {
                if c.kind == CellKind::Code {
                    let expected = texts.get(&c.id).unwrap_or(&c.text);
                    assert_eq!(&back.cells[&c.id], expected, "{mode:?} {}", c.id);
                }
            }
        }
    }

    #[test]
    fn imports_say_what_they_could_not_use() {
        let lab = Lab::flow_matching();
        let got = lab
            .import("# %% Training\nprint(1)\n# %% My own cell\nx = 2\n")
            .unwrap();
        assert_eq!(got.mode, None);
        assert_eq!(got.cells["training"], "print(1)");
        assert_eq!(got.unknown, ["My own cell"]);
        for bad in ["", "print('no cells')", "# %% [markdown]\n# text"] {
            assert!(lab.import(bad).unwrap_err().contains("no cell of the lab"));
        }
        let huge = "#".repeat(MAX_IMPORT_BYTES + 1);
        assert!(lab.import(&huge).unwrap_err().contains("bytes"));
    }
}
