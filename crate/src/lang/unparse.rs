//! Printing a tree back as canonical source: 4-space indentation, one statement per line,
//! double-quoted strings, single spaces around binary operators, and parentheses only where
//! precedence needs them. Parsing the printed text gives the same tree (spans aside).

use super::ast::*;
use std::fmt;

/// The canonical source of `program`, ending with a newline (empty for an empty program).
pub fn unparse(program: &Program) -> String {
    let mut printer = Printer::default();
    for stmt in &program.body {
        printer.stmt(stmt, 0);
    }
    printer.out
}

/// The canonical source of one expression.
pub fn expr_to_string(expr: &Expr) -> String {
    let mut printer = Printer::default();
    printer.expr(expr, P_TEST);
    printer.out
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&unparse(self))
    }
}

impl fmt::Display for Stmt {
    /// The statement at indentation 0, without a final newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut printer = Printer::default();
        printer.stmt(self, 0);
        f.write_str(printer.out.trim_end_matches('\n'))
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&expr_to_string(self))
    }
}

// Precedence levels, loosest first; a child printed below the level its position needs gets
// parentheses.
const P_TEST: u8 = 1;
const P_OR: u8 = 2;
const P_AND: u8 = 3;
const P_NOT: u8 = 4;
const P_CMP: u8 = 5;
const P_BOR: u8 = 6;
const P_UNARY: u8 = 12;
const P_POWER: u8 = 13;
const P_ATOM: u8 = 14;

fn binop_level(op: BinOp) -> u8 {
    match op {
        BinOp::BitOr => 6,
        BinOp::BitXor => 7,
        BinOp::BitAnd => 8,
        BinOp::LShift | BinOp::RShift => 9,
        BinOp::Add | BinOp::Sub => 10,
        BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod | BinOp::MatMul => 11,
        BinOp::Pow => P_POWER,
    }
}

fn level(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::IfElse { .. } => P_TEST,
        ExprKind::BoolOp { op: BoolOp::Or, .. } => P_OR,
        ExprKind::BoolOp {
            op: BoolOp::And, ..
        } => P_AND,
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => P_NOT,
        ExprKind::Compare { .. } => P_CMP,
        ExprKind::Binary { op, .. } => binop_level(*op),
        ExprKind::Unary { .. } => P_UNARY,
        _ => P_ATOM,
    }
}

fn float_text(value: f64) -> String {
    if value.is_infinite() {
        "1e999".to_string()
    } else if value.is_nan() {
        "float(\"nan\")".to_string()
    } else {
        // Debug always has a point or an exponent: 1.0, 0.01, 1e-7
        format!("{value:?}")
    }
}

/// The quotes of a string printed `depth` f-string fields deep, so nested strings never close
/// the enclosing f-string.
fn quote_for(depth: usize) -> &'static str {
    match depth {
        0 => "\"",
        1 => "'",
        2 => "\"\"\"",
        _ => "'''",
    }
}

fn escape_into(out: &mut String, text: &str, quote: char, fstring: bool) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '{' if fstring => out.push_str("{{"),
            '}' if fstring => out.push_str("}}"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let code = c as u32;
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
}

#[derive(Default)]
struct Printer {
    out: String,
    /// How many f-string fields enclose what is being printed.
    fstring_depth: usize,
}

impl Printer {
    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str("    ");
        }
    }

    // ----- statements -----

    fn block(&mut self, body: &[Stmt], level: usize) {
        if body.is_empty() {
            self.indent(level);
            self.push("pass\n");
        }
        for stmt in body {
            self.stmt(stmt, level);
        }
    }

    /// A compound statement's body after its header's text.
    fn suite(&mut self, body: &[Stmt], level: usize) {
        self.push(":\n");
        self.block(body, level + 1);
    }

    fn stmt(&mut self, stmt: &Stmt, level: usize) {
        self.indent(level);
        match &stmt.kind {
            StmtKind::Expr(e) => self.bare(e),
            StmtKind::Assign { targets, value } => {
                for target in targets {
                    self.bare(target);
                    self.push(" = ");
                }
                self.bare(value);
            }
            StmtKind::AugAssign { target, op, value } => {
                self.expr(target, P_TEST);
                self.push(" ");
                self.push(op.symbol());
                self.push("= ");
                self.bare(value);
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                self.expr(target, P_TEST);
                self.push(": ");
                self.expr(annotation, P_TEST);
                if let Some(value) = value {
                    self.push(" = ");
                    self.bare(value);
                }
            }
            StmtKind::If { branches, orelse } => {
                for (i, branch) in branches.iter().enumerate() {
                    if i > 0 {
                        self.indent(level);
                    }
                    self.push(if i == 0 { "if " } else { "elif " });
                    self.expr(&branch.test, P_TEST);
                    self.suite(&branch.body, level);
                }
                if !orelse.is_empty() {
                    self.indent(level);
                    self.push("else");
                    self.suite(orelse, level);
                }
                return;
            }
            StmtKind::For { target, iter, body } => {
                self.push("for ");
                self.bare(target);
                self.push(" in ");
                self.bare(iter);
                self.suite(body, level);
                return;
            }
            StmtKind::While { test, body } => {
                self.push("while ");
                self.expr(test, P_TEST);
                self.suite(body, level);
                return;
            }
            StmtKind::Break => self.push("break"),
            StmtKind::Continue => self.push("continue"),
            StmtKind::Pass => self.push("pass"),
            StmtKind::Return(value) => {
                self.push("return");
                if let Some(value) = value {
                    self.push(" ");
                    self.bare(value);
                }
            }
            StmtKind::FunctionDef(def) => {
                self.push("def ");
                self.push(&def.name.name);
                self.push("(");
                self.parameters(&def.params);
                self.push(")");
                if let Some(returns) = &def.returns {
                    self.push(" -> ");
                    self.expr(returns, P_TEST);
                }
                self.suite(&def.body, level);
                return;
            }
            StmtKind::ClassDef(class) => {
                self.push("class ");
                self.push(&class.name.name);
                if !class.bases.is_empty() {
                    self.push("(");
                    self.comma_list(&class.bases);
                    self.push(")");
                }
                self.suite(&class.body, level);
                return;
            }
            StmtKind::Import(aliases) => {
                self.push("import ");
                for (i, alias) in aliases.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.push(&alias.module.dotted());
                    self.alias(alias.alias.as_ref());
                }
            }
            StmtKind::ImportFrom { module, names } => {
                self.push("from ");
                self.push(&module.dotted());
                self.push(" import ");
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.push(&name.name.name);
                    self.alias(name.alias.as_ref());
                }
            }
            StmtKind::With { items, body } => {
                self.push("with ");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.expr(&item.context, P_TEST);
                    if let Some(target) = &item.target {
                        self.push(" as ");
                        self.expr(target, P_BOR);
                    }
                }
                self.suite(body, level);
                return;
            }
            StmtKind::Assert { test, msg } => {
                self.push("assert ");
                self.expr(test, P_TEST);
                if let Some(msg) = msg {
                    self.push(", ");
                    self.expr(msg, P_TEST);
                }
            }
            StmtKind::Del(targets) => {
                self.push("del ");
                for (i, target) in targets.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.expr(target, P_BOR);
                }
            }
        }
        self.push("\n");
    }

    fn alias(&mut self, alias: Option<&Ident>) {
        if let Some(alias) = alias {
            self.push(" as ");
            self.push(&alias.name);
        }
    }

    fn parameters(&mut self, params: &[Param]) {
        let mut star_written = false;
        for (i, param) in params.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            match param.kind {
                ParamKind::Positional => {}
                ParamKind::VarPositional => {
                    self.push("*");
                    star_written = true;
                }
                ParamKind::KeywordOnly => {
                    if !star_written {
                        self.push("*, ");
                        star_written = true;
                    }
                }
                ParamKind::VarKeyword => self.push("**"),
            }
            self.push(&param.name.name);
            if let Some(annotation) = &param.annotation {
                self.push(": ");
                self.expr(annotation, P_TEST);
            }
            if let Some(default) = &param.default {
                self.push(if param.annotation.is_some() {
                    " = "
                } else {
                    "="
                });
                self.expr(default, P_TEST);
            }
        }
    }

    // ----- expressions -----

    /// A statement-level expression: a non-empty tuple without parentheses.
    fn bare(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Tuple(items) if !items.is_empty() => {
                self.comma_list(items);
                if items.len() == 1 {
                    self.push(",");
                }
            }
            _ => self.expr(expr, P_TEST),
        }
    }

    fn comma_list(&mut self, items: &[Expr]) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(item, P_TEST);
        }
    }

    /// `expr`, in parentheses if it binds more loosely than `min`.
    fn expr(&mut self, expr: &Expr, min: u8) {
        let parens = level(expr) < min;
        if parens {
            self.push("(");
        }
        self.expr_inner(expr);
        if parens {
            self.push(")");
        }
    }

    fn expr_inner(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Name(name) => self.push(name),
            ExprKind::Int(v) => self.push(&v.to_string()),
            ExprKind::Float(v) => self.push(&float_text(*v)),
            ExprKind::Str(text) => self.string(text),
            ExprKind::FString(parts) => self.fstring(parts),
            ExprKind::Bool(true) => self.push("True"),
            ExprKind::Bool(false) => self.push("False"),
            ExprKind::None => self.push("None"),
            ExprKind::Ellipsis => self.push("..."),
            ExprKind::List(items) => {
                self.push("[");
                self.comma_list(items);
                self.push("]");
            }
            ExprKind::Tuple(items) => {
                self.push("(");
                self.comma_list(items);
                if items.len() == 1 {
                    self.push(",");
                }
                self.push(")");
            }
            ExprKind::Dict(pairs) => {
                self.push("{");
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.expr(key, P_TEST);
                    self.push(": ");
                    self.expr(value, P_TEST);
                }
                self.push("}");
            }
            ExprKind::Attribute { value, attr } => {
                if matches!(value.kind, ExprKind::Int(_)) {
                    // `1.real` would read as the float `1.`
                    self.push("(");
                    self.expr_inner(value);
                    self.push(")");
                } else {
                    self.expr(value, P_ATOM);
                }
                self.push(".");
                self.push(&attr.name);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value, P_ATOM);
                self.push("[");
                match &index.kind {
                    ExprKind::Tuple(items) if !items.is_empty() => {
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                self.push(", ");
                            }
                            self.index_item(item);
                        }
                        if items.len() == 1 {
                            self.push(",");
                        }
                    }
                    _ => self.index_item(index),
                }
                self.push("]");
            }
            ExprKind::Slice { .. } => self.index_item(expr),
            ExprKind::Call { func, args } => {
                self.expr(func, P_ATOM);
                self.push("(");
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    match arg {
                        Arg::Positional(value) => self.expr(value, P_TEST),
                        Arg::Keyword { name, value } => {
                            self.push(&name.name);
                            self.push("=");
                            self.expr(value, P_TEST);
                        }
                        Arg::Star(value) => {
                            self.push("*");
                            self.expr(value, P_TEST);
                        }
                        Arg::StarStar(value) => {
                            self.push("**");
                            self.expr(value, P_TEST);
                        }
                    }
                }
                self.push(")");
            }
            ExprKind::Unary { op, operand } => {
                if *op == UnaryOp::Not {
                    self.push("not ");
                    self.expr(operand, P_NOT);
                } else {
                    self.push(op.symbol());
                    self.expr(operand, P_UNARY);
                }
            }
            ExprKind::Binary { op, left, right } => {
                if *op == BinOp::Pow {
                    self.expr(left, P_ATOM);
                    self.push(" ** ");
                    self.expr(right, P_UNARY);
                } else {
                    let level = binop_level(*op);
                    self.expr(left, level);
                    self.push(" ");
                    self.push(op.symbol());
                    self.push(" ");
                    self.expr(right, level + 1);
                }
            }
            ExprKind::BoolOp { op, values } => {
                let inner = if *op == BoolOp::Or { P_AND } else { P_NOT };
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        self.push(" ");
                        self.push(op.symbol());
                        self.push(" ");
                    }
                    self.expr(value, inner);
                }
            }
            ExprKind::Compare { left, rest } => {
                self.expr(left, P_BOR);
                for (op, right) in rest {
                    self.push(" ");
                    self.push(op.symbol());
                    self.push(" ");
                    self.expr(right, P_BOR);
                }
            }
            ExprKind::IfElse { test, body, orelse } => {
                self.expr(body, P_OR);
                self.push(" if ");
                self.expr(test, P_OR);
                self.push(" else ");
                self.expr(orelse, P_TEST);
            }
            ExprKind::ListComp { element, clauses } => {
                self.push("[");
                self.expr(element, P_TEST);
                self.clauses(clauses);
                self.push("]");
            }
            ExprKind::Generator { element, clauses } => {
                self.push("(");
                self.expr(element, P_TEST);
                self.clauses(clauses);
                self.push(")");
            }
        }
    }

    fn clauses(&mut self, clauses: &[CompFor]) {
        for clause in clauses {
            self.push(" for ");
            self.bare(&clause.target);
            self.push(" in ");
            self.expr(&clause.iter, P_OR);
            for condition in &clause.conditions {
                self.push(" if ");
                self.expr(condition, P_OR);
            }
        }
    }

    /// An item of a subscript: a slice `a:b:c` or an expression.
    fn index_item(&mut self, item: &Expr) {
        let ExprKind::Slice { lower, upper, step } = &item.kind else {
            self.expr(item, P_TEST);
            return;
        };
        if let Some(lower) = lower {
            self.expr(lower, P_TEST);
        }
        self.push(":");
        if let Some(upper) = upper {
            self.expr(upper, P_TEST);
        }
        if let Some(step) = step {
            self.push(":");
            self.expr(step, P_TEST);
        }
    }

    fn string(&mut self, text: &str) {
        let quote = quote_for(self.fstring_depth);
        self.push(quote);
        escape_into(
            &mut self.out,
            text,
            quote.chars().next().unwrap_or('"'),
            false,
        );
        self.push(quote);
    }

    fn fstring(&mut self, parts: &[FStringPart]) {
        let quote = quote_for(self.fstring_depth);
        let quote_char = quote.chars().next().unwrap_or('"');
        self.push("f");
        self.push(quote);
        for part in parts {
            self.fstring_piece(part, quote_char, false);
        }
        self.push(quote);
    }

    fn fstring_piece(&mut self, part: &FStringPart, quote: char, in_spec: bool) {
        match part {
            FStringPart::Literal(text) => {
                if in_spec {
                    self.push(text);
                } else {
                    escape_into(&mut self.out, text, quote, true);
                }
            }
            FStringPart::Field {
                value,
                conversion,
                spec,
            } => {
                self.push("{");
                let mut inner = Printer {
                    out: String::new(),
                    fstring_depth: self.fstring_depth + 1,
                };
                inner.expr(value, P_TEST);
                if inner.out.starts_with('{') {
                    self.push(" ");
                }
                self.push(&inner.out);
                if let Some(conversion) = conversion {
                    self.out.push('!');
                    self.out.push(conversion.letter());
                }
                if !spec.is_empty() {
                    self.push(":");
                    for piece in spec {
                        self.fstring_piece(piece, quote, true);
                    }
                }
                self.push("}");
            }
        }
    }
}
