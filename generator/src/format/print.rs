//! Lays the tree out in lines of at most [`MAX_WIDTH`] columns, as rustfmt would: blocks one
//! statement a line, lists on one line when they fit and one element a line when they do not
//! (with a trailing comma), long method chains one call a line.

use std::ops::Range;

use super::tree::{Doc, Group, Kind, Node, Role, Seq};

/// rustfmt's default `max_width`.
pub(super) const MAX_WIDTH: usize = 100;
const INDENT: usize = 4;

#[derive(Default)]
pub(super) struct Printer {
    pub out: String,
    col: usize,
}

impl Printer {
    pub(super) fn with_capacity(bytes: usize) -> Printer {
        Printer {
            out: String::with_capacity(bytes),
            col: 0,
        }
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        self.col += s.len();
    }

    fn newline(&mut self, indent: usize) {
        // A line break and up to 64 columns of indentation, copied at once.
        const BREAK: &str = "\n                                                                ";
        let first = indent.min(BREAK.len() - 1);
        self.out.push_str(&BREAK[..1 + first]);
        let mut left = indent - first;
        while left > 0 {
            let n = left.min(BREAK.len() - 1);
            self.out.push_str(&BREAK[1..1 + n]);
            left -= n;
        }
        self.col = indent;
    }

    /// The statements or items of `seq`, one a line, each after a line break.
    pub(super) fn lines(&mut self, seq: &Seq, indent: usize) {
        for range in statements(seq) {
            self.newline(indent);
            self.line(seq, range, indent, 0);
        }
    }

    /// One statement, item or list element starting at the current column (`indent`), with
    /// `tail` columns that will follow it on its last line.
    fn line(&mut self, seq: &Seq, range: Range<usize>, indent: usize, tail: usize) {
        if let [Node::Doc(doc)] = &seq.nodes[range.clone()] {
            self.doc(doc, indent);
            return;
        }
        let (head, forced) = head_and_forced(seq, range.clone());
        let fits = self.col + head + tail <= MAX_WIDTH;
        let eq = (!fits)
            .then(|| assignment(seq, range.clone()))
            .flatten()
            .filter(|&eq| eq + 1 < range.end);
        let Some(eq) = eq else {
            // A line that fits whole, without a block, within the chain width is no chain to
            // break (what `chain_breaks` would find, without reading the line again).
            let chain = if fits && !forced && head <= CHAIN_WIDTH {
                Vec::new()
            } else {
                chain_breaks(seq, range.clone(), self.col + tail)
            };
            self.walk(seq, range, indent, tail, &chain);
            return;
        };
        // A long `lhs = value`: the value goes on the next line when it fits there on one
        // line, or when only that keeps every line within the width (as rustfmt chooses).
        // Each layout is tried on a printer of its own, with room for a few lines.
        let mut same_line = Printer {
            out: String::with_capacity(4 * MAX_WIDTH),
            col: self.col,
        };
        let chain = chain_breaks(seq, range.clone(), self.col + tail);
        same_line.walk(seq, range.clone(), indent, tail, &chain);
        let overflows = same_line.overflows(self.col);
        if overflows
            || memchr::memchr(b'\n', same_line.out.as_bytes()).is_some()
                && value_may_fit(seq, eq + 1..range.end, indent + INDENT)
        {
            let inner = indent + INDENT;
            let mut next_line = Printer {
                out: String::with_capacity(4 * MAX_WIDTH),
                col: self.col,
            };
            next_line.walk(seq, range.start..eq + 1, indent, 0, &[]);
            next_line.newline(inner);
            next_line.line(seq, eq + 1..range.end, inner, tail);
            // The next line wins if nothing overflows there and the value is one line of
            // it, or where the same line overflows.
            let one_line = memchr::memchr_iter(b'\n', next_line.out.as_bytes()).count() == 1;
            if !next_line.overflows(self.col) && (one_line || overflows) {
                same_line = next_line;
            }
        }
        self.out.push_str(&same_line.out);
        self.col = same_line.col;
    }

    /// Whether a line of this output (the first starting at column `col`) is too wide.
    fn overflows(&self, col: usize) -> bool {
        let mut start = 0;
        let mut first = col;
        for end in memchr::memchr_iter(b'\n', self.out.as_bytes()).chain([self.out.len()]) {
            if end - start + first > MAX_WIDTH {
                return true;
            }
            start = end + 1;
            first = 0;
        }
        false
    }

    fn doc(&mut self, doc: &Doc, indent: usize) {
        let Doc { inner, text, .. } = *doc;
        let marker = if inner { "//!" } else { "///" };
        // `////` would be a plain comment; a carriage return has no line form.
        if (!inner && text.starts_with('/')) || text.contains('\r') {
            self.push(if inner { "#![doc = " } else { "#[doc = " });
            self.push(&doc.literal());
            self.push("]");
            return;
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.newline(indent);
            }
            self.push(marker);
            self.push(line);
        }
    }

    /// Nodes on the current line (groups decide for themselves), breaking before `chain`.
    fn walk(
        &mut self,
        seq: &Seq,
        range: Range<usize>,
        indent: usize,
        tail: usize,
        chain: &[usize],
    ) {
        let mut indent = indent;
        let start = range.start;
        let end = range.end;
        let mut skip_to = start;
        for i in range {
            if i < skip_to {
                continue;
            }
            if !chain.is_empty() && chain.contains(&i) {
                // Chain links go one indent in from the statement.
                if chain.first() == Some(&i) {
                    indent += INDENT;
                }
                self.newline(indent);
            } else if i > start && seq.space[i] {
                self.push(" ");
            }
            match &seq.nodes[i] {
                Node::Text {
                    role: Role::GenericOpen,
                    ..
                } => match generic_close(seq, i, end) {
                    Some(close)
                        if self.col
                            + head(seq, i..close + 1)
                            + trailing(seq, close, end, chain, tail)
                            > MAX_WIDTH =>
                    {
                        self.generics(seq, i, close, indent);
                        skip_to = close + 1;
                    }
                    _ => self.push("<"),
                },
                Node::Text { text, .. } => self.push(text),
                Node::Doc(doc) => {
                    if i > start {
                        self.newline(indent);
                    }
                    self.doc(doc, indent);
                    if i + 1 < end {
                        self.newline(indent);
                    }
                }
                Node::Group(g) => {
                    self.group(g, indent, trailing(seq, i, end, chain, tail));
                }
            }
        }
    }

    /// Generic arguments too long for the line, one a line (`Result<\n    A,\n    B,\n>`).
    fn generics(&mut self, seq: &Seq, open: usize, close: usize, indent: usize) {
        self.push("<");
        let mut depth = 0usize;
        let mut start = open + 1;
        let inner = indent + INDENT;
        for i in open + 1..=close {
            match seq.nodes[i].role() {
                Some(Role::GenericOpen) => depth += 1,
                Some(Role::GenericClose) if depth > 0 => depth -= 1,
                _ => {}
            }
            let at_end = i == close;
            if at_end || (depth == 0 && seq.nodes[i].is_text(",")) {
                if start < i {
                    self.newline(inner);
                    self.line(seq, start..i, inner, 1);
                    self.push(",");
                }
                start = i + 1;
            }
        }
        self.newline(indent);
        self.push(">");
    }

    fn group(&mut self, g: &Group, indent: usize, trailing: usize) {
        let (open, close) = match g.kind {
            Kind::Paren => ("(", ")"),
            Kind::Bracket => ("[", "]"),
            _ => ("{", "}"),
        };
        if g.body.nodes.is_empty() {
            self.push(open);
            self.push(close);
            return;
        }
        let inner = indent + INDENT;
        match g.kind {
            Kind::Block | Kind::Items => {
                self.push(open);
                self.lines(&g.body, inner);
                self.newline(indent);
                self.push(close);
            }
            Kind::Fields | Kind::Match => {
                self.push(open);
                self.list(g, inner);
                self.newline(indent);
                self.push(close);
            }
            Kind::Paren | Kind::Bracket | Kind::StructLit | Kind::UseList => {
                let pad = g.kind == Kind::StructLit;
                let fits = !g.body.lines
                    && self.col + g.head + trailing <= MAX_WIDTH
                    && g.body.head <= small_width(g);
                // One element ending in a group: only that group breaks (`Ok(Foo {` ..).
                let overflow = !fits
                    && !g.body.lines
                    && matches!(g.kind, Kind::Paren | Kind::Bracket)
                    && g.body.nodes.last().is_some_and(|n| n.group().is_some())
                    && one_element(&g.body);
                if fits || overflow {
                    self.push(open);
                    if pad {
                        self.push(" ");
                    }
                    let mut all = 0..g.body.nodes.len();
                    // On one line a list has no trailing comma (but a tuple of one keeps it).
                    if fits
                        && g.body.nodes.last().is_some_and(|n| n.is_text(","))
                        && !(g.kind == Kind::Paren && !g.call && one_element(&g.body))
                    {
                        all.end -= 1;
                    }
                    let close_width = close.len() + usize::from(pad);
                    self.walk(&g.body, all, indent, trailing + close_width, &[]);
                    if pad {
                        self.push(" ");
                    }
                    self.push(close);
                } else if g.kind == Kind::UseList {
                    self.push(open);
                    self.fill(&g.body, inner);
                    self.newline(indent);
                    self.push(close);
                } else {
                    self.push(open);
                    self.list(g, inner);
                    self.newline(indent);
                    self.push(close);
                }
            }
        }
    }

    /// The names of a `use` list, as many a line as fit (rustfmt's mixed layout).
    fn fill(&mut self, seq: &Seq, indent: usize) {
        self.newline(indent);
        for (n, element) in elements(seq).enumerate() {
            let range = element.range.clone();
            let width = head(seq, range.clone()) + usize::from(!element.comma);
            if n > 0 {
                if self.col + 1 + width > MAX_WIDTH {
                    self.newline(indent);
                } else {
                    self.push(" ");
                }
            }
            self.line(seq, range, indent, 0);
            if !element.comma {
                self.push(",");
            }
        }
    }

    /// The elements of a list group, one a line, the last given a trailing comma where Rust
    /// allows one and it changes nothing.
    fn list(&mut self, g: &Group, indent: usize) {
        let mut items = elements(&g.body).peekable();
        while let Some(element) = items.next() {
            self.newline(indent);
            let range = element.range.clone();
            let last = items.peek().is_none();
            // How many elements there are (attributes aside) is asked of the last alone.
            let count = || elements(&g.body).filter(|e| !e.attr).count();
            let add = last
                && !element.attr
                && !element.comma
                && trailing_comma(g, &g.body, range.clone(), count);
            self.line(&g.body, range, indent, usize::from(add));
            if add {
                self.push(",");
            }
        }
    }
}

/// rustfmt's default widths past which a list goes one element a line even when the line
/// has room: call arguments (60, 70 in attributes), struct literals (18), arrays (60).
fn small_width(g: &Group) -> usize {
    match g.kind {
        Kind::Paren if g.call && !g.params && g.attr => 70,
        Kind::Paren if g.call && !g.params => 60,
        Kind::StructLit => 18,
        Kind::Bracket if !g.attr => 60,
        _ => usize::MAX,
    }
}

/// rustfmt's default `chain_width`: a chain wider than this goes one link a line.
const CHAIN_WIDTH: usize = 60;

fn trailing_comma(
    g: &Group,
    body: &Seq,
    range: Range<usize>,
    count: impl FnOnce() -> usize,
) -> bool {
    if g.in_macro {
        return false;
    }
    let nodes = &body.nodes[range];
    // `..base` of a struct literal takes no comma after it; an arm ending in a block needs none.
    if nodes.first().is_some_and(|n| n.role() == Some(Role::Dot)) {
        return false;
    }
    match g.kind {
        Kind::Match => !nodes
            .last()
            .and_then(Node::group)
            .is_some_and(|g| g.kind == Kind::Block),
        Kind::Fields | Kind::StructLit | Kind::UseList => true,
        // `(x)` is not `(x,)`, nor `[T; N]` `[T; N,]`.
        Kind::Paren => g.call || count() >= 2,
        Kind::Bracket => count() >= 2,
        Kind::Block | Kind::Items => false,
    }
}

/// The `=` of a `let`, `const` or assignment (not one inside generic arguments).
fn assignment(seq: &Seq, range: Range<usize>) -> Option<usize> {
    let mut depth = 0usize;
    for i in range {
        match seq.nodes[i].role() {
            Some(Role::GenericOpen) => depth += 1,
            Some(Role::GenericClose) => depth = depth.saturating_sub(1),
            _ if depth == 0 && seq.nodes[i].is_text("=") => return Some(i),
            _ => {}
        }
    }
    None
}

/// The `>` that closes the generic arguments opened at `open`.
fn generic_close(seq: &Seq, open: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in open..end {
        match seq.nodes[i].role() {
            Some(Role::GenericOpen) => depth += 1,
            Some(Role::GenericClose) => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether the value of an assignment may be printed whole on one line starting at column
/// `col`: where the same line does not overflow, that alone makes the next line win, so a
/// value that cannot (a block in it, or too wide even without its groups' trailing commas)
/// is not tried there.
fn value_may_fit(seq: &Seq, value: Range<usize>, col: usize) -> bool {
    let (width, forced) = head_and_forced(seq, value.clone());
    let commas: usize = seq.nodes[value]
        .iter()
        .filter_map(Node::group)
        .map(|g| g.body.commas + usize::from(g.body.ends_in_comma()))
        .sum();
    !forced && col + width.saturating_sub(commas) <= MAX_WIDTH
}

/// Width of the range on one line, up to its first forced break.
fn head(seq: &Seq, range: Range<usize>) -> usize {
    head_and_forced(seq, range).0
}

/// [`head`], and whether the range has a forced break (a group that holds a block).
fn head_and_forced(seq: &Seq, range: Range<usize>) -> (usize, bool) {
    let mut width = 0;
    let start = range.start;
    for i in range {
        if i > start && seq.space[i] {
            width += 1;
        }
        let node = &seq.nodes[i];
        width += node.head();
        if let Node::Group(g) = node {
            if g.forced {
                return (width, true);
            }
        }
    }
    (width, false)
}

/// Width of what follows node `i` on its line up to the next group's opening (or the end of
/// the range, and then the `tail` after it).
fn trailing(seq: &Seq, i: usize, end: usize, chain: &[usize], tail: usize) -> usize {
    let mut width = 0;
    for j in i + 1..end {
        if !chain.is_empty() && chain.contains(&j) {
            return width;
        }
        width += usize::from(seq.space[j]);
        match &seq.nodes[j] {
            Node::Text { text, .. } => width += text.len(),
            // `()` cannot break; any other group can, right after it opens.
            Node::Group(g) if g.body.nodes.is_empty() => width += 2,
            _ => return width + 1,
        }
    }
    width + tail
}

/// Where a method chain that does not fit breaks: before each `.` of its calls (after the
/// last `=`, `=>` or `return`), keeping a short root (`self.client`) on the first line. Empty
/// when the chain has fewer than two such links or the line is not a chain.
fn chain_breaks(seq: &Seq, range: Range<usize>, used: usize) -> Vec<usize> {
    let mut start = range.start;
    // The `.`s after `start`, counted on the way: most lines have fewer than two.
    let mut count = 0usize;
    for i in range.clone() {
        let node = &seq.nodes[i];
        if matches!(
            node.role(),
            Some(Role::Binary | Role::ClosureClose | Role::EmptyClosure)
        ) || node.is_text("return")
        {
            start = i + 1;
            count = 0;
        } else if node.is_text(".") {
            count += 1;
        }
    }
    if count < 2 || seq.nodes[start].role() == Some(Role::Keyword) {
        return Vec::new();
    }
    let mut dots: Vec<usize> = (start..range.end)
        .filter(|&i| seq.nodes[i].is_text("."))
        .collect();
    if let Some(&first) = dots.first() {
        if head(seq, start..first) <= INDENT {
            dots.remove(0);
        }
    }
    if dots.len() < 2 {
        return Vec::new();
    }
    let fits = used + head(seq, range.clone()) <= MAX_WIDTH;
    if fits && head(seq, start..range.end) <= CHAIN_WIDTH {
        return Vec::new();
    }
    dots
}

/// Statements or items: each ends at a `;`, after a block that is not continued (`else`,
/// `.await`, `?`, an operator), and each attribute or doc line is one of its own.
pub(super) fn statements<'s, 'a>(seq: &'s Seq<'a>) -> Statements<'s, 'a> {
    Statements {
        nodes: seq.nodes,
        start: 0,
    }
}

/// The ranges of [`statements`], in order.
pub(super) struct Statements<'s, 'a> {
    nodes: &'s [Node<'a>],
    /// Where the next statement starts.
    start: usize,
}

impl Iterator for Statements<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let nodes = self.nodes;
        let start = self.start;
        if start >= nodes.len() {
            return None;
        }
        let mut end = attribute_end(nodes, start);
        let mut i = start;
        while end.is_none() && i < nodes.len() {
            let ends = match &nodes[i] {
                Node::Doc(_) => true,
                Node::Text { text, .. } => &**text == ";",
                Node::Group(g) => {
                    matches!(
                        g.kind,
                        Kind::Block | Kind::Items | Kind::Fields | Kind::Match | Kind::StructLit
                    ) && !continues(nodes.get(i + 1))
                }
            };
            i += 1;
            if ends {
                end = Some(i);
            }
        }
        let end = end.unwrap_or(nodes.len());
        self.start = end;
        Some(start..end)
    }
}

/// Whether what follows a block continues its statement.
fn continues(next: Option<&Node>) -> bool {
    match next {
        None | Some(Node::Doc(_)) => false,
        Some(Node::Text { text, role }) => match role {
            Role::Value => false,
            Role::Keyword => matches!(&**text, "else" | "as"),
            Role::Hash => false,
            _ => true,
        },
        Some(Node::Group(_)) => false,
    }
}

/// The end of an attribute (`#[..]`, `#![..]`) starting at `i`.
fn attribute_end(nodes: &[Node], i: usize) -> Option<usize> {
    if nodes.get(i)?.role() != Some(Role::Hash) {
        return None;
    }
    let at = if nodes.get(i + 1)?.role() == Some(Role::AttrBang) {
        i + 2
    } else {
        i + 1
    };
    (nodes.get(at)?.group()?.kind == Kind::Bracket).then_some(at + 1)
}

pub(super) struct Element {
    pub range: Range<usize>,
    /// Ends with its `,`.
    pub comma: bool,
    /// An attribute or doc line of the element after it.
    pub attr: bool,
}

/// The elements of a comma-separated list; in a `match`, an arm also ends after its block.
pub(super) fn elements<'a>(seq: &Seq<'a>) -> Elements<'a> {
    Elements {
        nodes: seq.nodes,
        start: 0,
    }
}

/// Whether the list has exactly one element.
fn one_element(seq: &Seq) -> bool {
    let mut elements = elements(seq);
    elements.next().is_some() && elements.next().is_none()
}

pub(super) struct Elements<'a> {
    nodes: &'a [Node<'a>],
    start: usize,
}

impl Iterator for Elements<'_> {
    type Item = Element;

    fn next(&mut self) -> Option<Element> {
        let nodes = self.nodes;
        let start = self.start;
        if start >= nodes.len() {
            return None;
        }
        if let Some(end) = attribute_end(nodes, start) {
            self.start = end;
            return Some(Element {
                range: start..end,
                comma: false,
                attr: true,
            });
        }
        if matches!(nodes[start], Node::Doc(_)) {
            self.start = start + 1;
            return Some(Element {
                range: start..start + 1,
                comma: false,
                attr: true,
            });
        }
        let mut depth = 0usize;
        let mut i = start;
        while i < nodes.len() {
            let node = &nodes[i];
            i += 1;
            match node.role() {
                Some(Role::GenericOpen) => depth += 1,
                Some(Role::GenericClose) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if node.is_text(",") && depth == 0 {
                self.start = i;
                return Some(Element {
                    range: start..i,
                    comma: true,
                    attr: false,
                });
            } else if node.group().is_some_and(|g| g.kind == Kind::Block)
                && i >= 2
                && nodes[i - 2].is_text("=>")
            {
                // `A => { .. }` ends its arm, with or without a comma.
                let comma = nodes.get(i).is_some_and(|n| n.is_text(","));
                if comma {
                    i += 1;
                }
                self.start = i;
                return Some(Element {
                    range: start..i,
                    comma,
                    attr: false,
                });
            }
        }
        self.start = nodes.len();
        Some(Element {
            range: start..nodes.len(),
            comma: false,
            attr: false,
        })
    }
}
