//! The notebook as one Python file and back: the attendee's cells in jupytext's percent format
//! (`# %% Title` blocks, text as `# %% [markdown]` comments), a script that runs in real Python
//! with PyTorch, scikit-learn and matplotlib, and that [`Lab::import`] reads back. A notebook
//! that imports the built-in `flowlab` module gets a first cell, [`FLOWLAB_CELL`], that writes
//! the layers it imports out in PyTorch (`flowlab_torch.py`) and registers them as `flowlab`.

use super::source::slug;
use super::{CellKind, Lab, Mode};
use std::collections::BTreeMap;

/// Files larger than this are not read (an exported lab is about 12 kB).
pub const MAX_IMPORT_BYTES: usize = 1 << 20;

/// The title of the exported cell that defines `flowlab` in PyTorch (not one of the lab's:
/// [`Lab::import`] skips it).
pub const FLOWLAB_CELL: &str = "flowlab in PyTorch";

/// `flowlab`'s layers in PyTorch: a head (comment and imports), then one section per class,
/// each after a `#| class NAME` line that the export drops.
const FLOWLAB_TORCH: &str = include_str!("flowlab_torch.py");

/// The classes of the `flowlab` module, in [`FLOWLAB_TORCH`]'s order.
const FLOWLAB_CLASSES: [&str; 3] = ["PlanarFlow", "AffineCoupling", "CNF"];

/// The `flowlab` classes `code` imports: those named in `from flowlab import ...`, every one
/// for `import flowlab`.
fn flowlab_imports(code: &str) -> Vec<&'static str> {
    let mut used = Vec::new();
    for line in code.lines().map(str::trim) {
        let names = if let Some(rest) = line.strip_prefix("from flowlab import ") {
            rest.split('#').next().unwrap_or("")
        } else if line
            .strip_prefix("import flowlab")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '#', ',']))
        {
            "*"
        } else {
            continue;
        };
        for class in FLOWLAB_CLASSES {
            let named = names
                .split([',', '(', ')'])
                .map(|n| n.split_whitespace().next().unwrap_or(""))
                .any(|n| n == class || n == "*");
            if named && !used.contains(&class) {
                used.push(class);
            }
        }
    }
    FLOWLAB_CLASSES
        .into_iter()
        .filter(|c| used.contains(c))
        .collect()
}

/// The cell that defines `classes` in PyTorch and registers them as the module `flowlab`.
pub(super) fn flowlab_cell(classes: &[&str]) -> String {
    let mut sections = FLOWLAB_TORCH.split("\n#| class ");
    let head = sections.next().unwrap_or("");
    let mut out = format!("# %% {FLOWLAB_CELL}\n{}\n", head.trim_end());
    for section in sections {
        let (name, body) = section.split_once('\n').unwrap_or((section, ""));
        if classes.contains(&name.trim()) {
            out.push_str(&format!("\n\n{}\n", body.trim_end()));
        }
    }
    out.push_str("\n\n_flowlab = types.ModuleType(\"flowlab\", \"flowlab's layers in PyTorch\")\n");
    for class in classes {
        out.push_str(&format!("_flowlab.{class} = {class}\n"));
    }
    out.push_str("sys.modules[\"flowlab\"] = _flowlab\n");
    out
}

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
        let cells: Vec<_> = self
            .cells(mode)
            .into_iter()
            .filter(|c| extras || !c.extra)
            .collect();
        let code: String = cells
            .iter()
            .filter(|c| c.kind == CellKind::Code)
            .map(|c| format!("{}\n", texts.get(&c.id).unwrap_or(&c.text)))
            .collect();
        let classes = flowlab_imports(&code);
        if !classes.is_empty() {
            out.push('\n');
            out.push_str(&flowlab_cell(&classes));
        }
        for c in cells {
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
                if title == FLOWLAB_CELL {
                    // the export's own definition of flowlab, not a cell of the lab
                } else if code_ids.contains(&id) {
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
    fn a_notebook_that_imports_flowlab_exports_its_layers_in_pytorch() {
        assert_eq!(flowlab_imports("import torch\nx = 1"), Vec::<&str>::new());
        assert_eq!(
            flowlab_imports("from flowlab import CNF, PlanarFlow as P  # mine\n"),
            ["PlanarFlow", "CNF"]
        );
        assert_eq!(
            flowlab_imports("    from flowlab import (AffineCoupling,\n"),
            ["AffineCoupling"]
        );
        assert_eq!(flowlab_imports("import flowlab"), FLOWLAB_CLASSES);
        assert_eq!(flowlab_imports("import flowlab as fl"), FLOWLAB_CLASSES);
        assert!(flowlab_imports("import flowlabs").is_empty());

        let lab = Lab::warm_ups();
        for mode in lab.modes() {
            let file = lab.script(mode, true);
            let cell = file.find(&format!("# %% {FLOWLAB_CELL}\n")).unwrap();
            // before every cell of the lab, the module registered before it is imported
            assert!(cell < file.find("# %% [markdown]").unwrap());
            assert!(file.contains("class PlanarFlow(nn.Module):"));
            assert!(file.contains("class AffineCoupling(nn.Module):"));
            assert!(!file.contains("class CNF(nn.Module):"));
            assert!(!file.contains("#| class"));
            assert!(file.contains("_flowlab.PlanarFlow = PlanarFlow\n_flowlab.AffineCoupling = AffineCoupling\nsys.modules[\"flowlab\"] = _flowlab\n"));
            // the cell is not the lab's: it imports back to nothing
            let back = lab.import(&file).unwrap();
            assert!(back.unknown.is_empty(), "{:?}", back.unknown);
            for c in lab.cells(mode) {
                if c.kind == CellKind::Code {
                    assert_eq!(back.cells[&c.id], c.text, "{mode:?} {}", c.id);
                }
            }
        }
        // without the extra cell, AffineCoupling is not needed
        let file = lab.script(Mode::Full, false);
        assert!(file.contains("class PlanarFlow(nn.Module):"));
        assert!(!file.contains("class AffineCoupling"));
        // the attendee's own import counts; a lab without flowlab has no such cell
        let mut texts = BTreeMap::new();
        texts.insert(
            "imports".to_string(),
            "import torch\nimport flowlab".to_string(),
        );
        let file = lab.export(Mode::Todo, &texts, true);
        assert!(file.contains("class CNF(nn.Module):"));
        assert!(!Lab::flow_matching()
            .script(Mode::Full, true)
            .contains(FLOWLAB_CELL));
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
