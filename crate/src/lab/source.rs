//! Reads a lab source (jupytext's "percent" format with blank markers; the format is described
//! at the top of `flow_matching.py`) into cells and blanks.

use super::{Blank, Cell, CellKind, Mode};

/// The marker that ends a one-line blank: `x_t = (1 - t) * x_0 + t * x_1  #| blank x_t`.
const LINE_MARKER: &str = "#| blank ";
const BEGIN_MARKER: &str = "#| begin ";
const END_MARKER: &str = "#| end ";

/// Cells and blanks of a lab source, or what is wrong with it (line numbers of the source).
pub fn parse(source: &str) -> Result<(Vec<Cell>, Vec<Blank>), String> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut blanks: Vec<Blank> = Vec::new();
    for section in sections(source) {
        let header = section.header.trim();
        let body = trim_blank_lines(&section.lines);
        let at = section.line;
        if header == "[markdown]" {
            let text = uncomment(&body, at)?;
            let id = format!("text-{}", cells.len() + 1);
            cells.push(Cell::new(
                id,
                CellKind::Markdown,
                String::new(),
                text,
                false,
            ));
        } else if header == "[question]" {
            let text = uncomment(&body, at)?;
            let id = format!("question-{}", cells.len() + 1);
            cells.push(Cell::new(
                id,
                CellKind::Question,
                String::new(),
                text,
                false,
            ));
        } else if header == "[answer]" {
            let answer = uncomment(&body, at)?;
            match cells.last_mut() {
                Some(c) if c.kind == CellKind::Question && c.answer.is_none() => {
                    c.answer = Some(answer)
                }
                _ => return Err(format!("line {at}: an [answer] must follow a [question]")),
            }
        } else if let Some(name) = header
            .strip_prefix("[blank ")
            .and_then(|h| h.strip_suffix(']'))
        {
            blanks.push(blank(name.trim(), &body, at)?);
        } else if header.starts_with('[') {
            return Err(format!("line {at}: unknown cell type {header}"));
        } else {
            let (title, extra) = match header.strip_suffix("[extra]") {
                Some(t) => (t.trim(), true),
                None => (header, false),
            };
            if title.is_empty() {
                return Err(format!(
                    "line {at}: a code cell needs a title: `# %% Title`"
                ));
            }
            let id = slug(title);
            if cells.iter().any(|c| c.id == id) {
                return Err(format!("line {at}: two cells are called {title:?}"));
            }
            let text = body.join("\n");
            cells.push(Cell::new(
                id,
                CellKind::Code,
                title.to_string(),
                text,
                extra,
            ));
        }
    }
    attach_blanks(&cells, &mut blanks)?;
    if let Some(c) = cells
        .iter()
        .find(|c| c.kind == CellKind::Question && c.answer.is_none())
    {
        return Err(format!("the question {} has no [answer]", c.id));
    }
    Ok((cells, blanks))
}

struct Section<'a> {
    /// The text after `# %%`.
    header: &'a str,
    /// The header's line number (1-based).
    line: usize,
    lines: Vec<&'a str>,
}

/// The `# %%` sections; text before the first one (the file's own comment) is dropped.
fn sections(source: &str) -> Vec<Section<'_>> {
    let mut out: Vec<Section> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        if let Some(header) = line.strip_prefix("# %%") {
            out.push(Section {
                header,
                line: i + 1,
                lines: Vec::new(),
            });
        } else if let Some(s) = out.last_mut() {
            s.lines.push(line);
        }
    }
    out
}

fn trim_blank_lines<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines[s..=e].to_vec(),
        _ => Vec::new(),
    }
}

/// Text kept in comment lines: `# text` → `text`, `#` → an empty line.
fn uncomment(lines: &[&str], at: usize) -> Result<String, String> {
    let mut out = Vec::new();
    for line in lines {
        let text = if *line == "#" {
            ""
        } else if let Some(t) = line.strip_prefix("# ") {
            t
        } else {
            return Err(format!(
                "line {at}: every line of a text cell starts with \"# \", but found {line:?}"
            ));
        };
        out.push(text);
    }
    Ok(out.join("\n"))
}

/// `# key: value` lines of a `[blank NAME]` section.
fn blank(name: &str, lines: &[&str], at: usize) -> Result<Blank, String> {
    let text = uncomment(lines, at)?;
    let mut b = Blank {
        id: name.to_string(),
        modes: Vec::new(),
        title: String::new(),
        todo: String::new(),
        hints: Vec::new(),
        cell: String::new(),
        solution: String::new(),
    };
    for line in text.lines() {
        let (key, value) = line.split_once(": ").ok_or_else(|| {
            format!("line {at}: blank {name}: expected `key: value`, found {line:?}")
        })?;
        let value = value.trim().to_string();
        match key {
            "modes" => {
                for m in value.split(',') {
                    b.modes.push(
                        Mode::parse(m.trim())
                            .map_err(|e| format!("line {at}: blank {name}: {e}"))?,
                    );
                }
            }
            "title" => b.title = value,
            "todo" => b.todo = value,
            "hint" => b.hints.push(value),
            _ => return Err(format!("line {at}: blank {name}: unknown key {key:?}")),
        }
    }
    if b.modes.is_empty() || b.title.is_empty() || b.todo.is_empty() || b.hints.is_empty() {
        return Err(format!(
            "line {at}: blank {name} needs modes, a title, a todo and at least one hint"
        ));
    }
    Ok(b)
}

/// Finds each blank's markers: the cell it is in and its solution (the marked text).
fn attach_blanks(cells: &[Cell], blanks: &mut [Blank]) -> Result<(), String> {
    for cell in cells.iter().filter(|c| c.kind == CellKind::Code) {
        let lines: Vec<&str> = cell.source.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let (name, solution) = if let Some(name) = marker(line, BEGIN_MARKER) {
                let end = lines[i + 1..]
                    .iter()
                    .position(|l| marker(l, END_MARKER) == Some(name))
                    .ok_or_else(|| format!("cell {}: `#| begin {name}` has no end", cell.id))?;
                let region = &lines[i + 1..i + 1 + end];
                let clean: Vec<String> = region.iter().map(|l| strip_markers(l)).collect();
                (name, dedent(&clean))
            } else if let Some((code, name)) = line_blank(line) {
                (name, code.trim().to_string())
            } else {
                i += 1;
                continue;
            };
            let b = blanks
                .iter_mut()
                .find(|b| b.id == name)
                .ok_or_else(|| format!("cell {}: blank {name} has no [blank {name}]", cell.id))?;
            if !b.cell.is_empty() {
                return Err(format!("blank {name} is marked twice"));
            }
            b.cell = cell.id.clone();
            b.solution = solution;
            i += 1;
        }
    }
    match blanks.iter().find(|b| b.cell.is_empty()) {
        Some(b) => Err(format!("blank {} is described but never marked", b.id)),
        None => Ok(()),
    }
}

/// `NAME` of a line that is only `#| begin NAME` (or end).
fn marker<'a>(line: &'a str, kind: &str) -> Option<&'a str> {
    line.trim().strip_prefix(kind).map(str::trim)
}

/// `(code, NAME)` of a line ending in `#| blank NAME`.
fn line_blank(line: &str) -> Option<(&str, &str)> {
    let at = line.find(LINE_MARKER)?;
    Some((line[..at].trim_end(), line[at + LINE_MARKER.len()..].trim()))
}

/// The line without its blank marker (region markers inside a region drop whole lines).
fn strip_markers(line: &str) -> String {
    match line_blank(line) {
        Some((code, _)) => code.to_string(),
        None => line.to_string(),
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn dedent(lines: &[String]) -> String {
    let cut = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent_of(l))
        .min()
        .unwrap_or(0);
    let out: Vec<&str> = lines
        .iter()
        .map(|l| if l.len() >= cut { &l[cut..] } else { "" })
        .collect();
    out.join("\n")
}

/// A code cell's text in `mode`: blanks of that mode become `...  # TODO: ...`, every marker
/// disappears.
pub fn derive(source: &str, mode: Mode, blanks: &[Blank]) -> String {
    let active = |name: &str| {
        blanks
            .iter()
            .find(|b| b.id == name)
            .filter(|b| b.modes.contains(&mode))
    };
    let mut out: Vec<String> = Vec::new();
    let mut skipping: Option<&str> = None;
    for line in source.lines() {
        if let Some(name) = skipping {
            if marker(line, END_MARKER) == Some(name) {
                skipping = None;
            }
            continue;
        }
        if let Some(name) = marker(line, BEGIN_MARKER) {
            if let Some(b) = active(name) {
                out.extend(todo_block(&line[..indent_of(line)], &b.todo));
                skipping = Some(name);
            }
        } else if marker(line, END_MARKER).is_some() {
        } else if let Some((code, name)) = line_blank(line) {
            match active(name) {
                Some(b) => out.push(blank_line(code, &b.todo)),
                None => out.push(code.to_string()),
            }
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

/// `x_t = (1 - t) * x_0 + t * x_1` → `x_t = ...  # TODO: text`; `return e` likewise.
fn blank_line(code: &str, todo: &str) -> String {
    let indent = &code[..indent_of(code)];
    let body = code.trim_start();
    let kept = if body.starts_with("return ") {
        "return ".to_string()
    } else {
        match assignment_split(body) {
            Some(at) => body[..at].to_string(),
            None => String::new(),
        }
    };
    format!("{indent}{kept}...  # TODO: {todo}")
}

/// The byte just after `= ` of a plain assignment (`=`, not `==`, `<=`, ... nor inside brackets).
fn assignment_split(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut depth = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b'=' if depth == 0 => {
                let before = if i > 0 { bytes[i - 1] } else { b' ' };
                let after = bytes.get(i + 1).copied().unwrap_or(b' ');
                if !b"=!<>+-*/%@&|^".contains(&before) && after != b'=' {
                    let mut end = i + 1;
                    while bytes.get(end) == Some(&b' ') {
                        end += 1;
                    }
                    return Some(end);
                }
            }
            _ => {}
        }
    }
    None
}

/// A blank of several lines: its TODO text as comment lines (wrapped), then `...`.
fn todo_block(indent: &str, todo: &str) -> Vec<String> {
    const WIDTH: usize = 96;
    let first = format!("{indent}...  # TODO: {todo}");
    if first.len() <= WIDTH {
        return vec![first];
    }
    let mut lines = Vec::new();
    let mut current = format!("{indent}# TODO:");
    for word in todo.split_whitespace() {
        if current.len() + 1 + word.len() > WIDTH {
            lines.push(std::mem::replace(&mut current, format!("{indent}#")));
        }
        current.push(' ');
        current.push_str(word);
    }
    lines.push(current);
    lines.push(format!("{indent}...  # TODO"));
    lines
}

/// `Plots: data and samples` → `plots-data-and-samples`.
pub(super) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_split_after_the_first_plain_equals_sign() {
        assert_eq!(
            blank_line("    x_t = (1 - t) * x_0", "a"),
            "    x_t = ...  # TODO: a"
        );
        assert_eq!(blank_line("y = f(a=1) == 2", "b"), "y = ...  # TODO: b");
        assert_eq!(
            blank_line("  return x + h * u", "c"),
            "  return ...  # TODO: c"
        );
        assert_eq!(blank_line("a[i] = 3", "d"), "a[i] = ...  # TODO: d");
        assert_eq!(blank_line("f(x == 1)", "e"), "...  # TODO: e");
        assert_eq!(assignment_split("x += 1"), None);
    }

    #[test]
    fn titles_become_ids() {
        assert_eq!(slug("Plots: data and samples"), "plots-data-and-samples");
        assert_eq!(slug("Plot p_t for chosen t"), "plot-p-t-for-chosen-t");
    }

    #[test]
    fn long_todos_wrap_into_comments_above_the_ellipsis() {
        let lines = todo_block("    ", &"word ".repeat(40));
        assert!(lines.iter().all(|l| l.len() <= 96), "{lines:?}");
        assert_eq!(lines.last().unwrap(), "    ...  # TODO");
        assert!(lines[0].starts_with("    # TODO: word"));
    }

    #[test]
    fn malformed_sources_say_what_is_wrong() {
        let bad = [
            ("# %% A\nx = 1  #| blank b\n", "has no [blank b]"),
            (
                "# %% [blank b]\n# modes: todo\n# title: T\n# todo: x\n# hint: h\n",
                "never marked",
            ),
            ("# %% A\n#| begin b\nx = 1\n", "has no end"),
            ("# %% [answer]\n# a\n", "must follow a [question]"),
            ("# %% [question]\n# q\n", "has no [answer]"),
            ("# %% [markdown]\nno hash\n", "starts with"),
            ("# %% [blank b]\n# modes: some\n", "mode"),
            ("# %% A\nx\n# %% A\ny\n", "two cells"),
        ];
        for (source, expected) in bad {
            let e = parse(source).unwrap_err();
            assert!(e.contains(expected), "{source:?}: {e}");
        }
    }
}
