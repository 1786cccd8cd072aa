//! Problems found in a document, each tied to the place in the document where it was found.

use std::fmt;

/// How bad a problem is: errors stop generation, warnings are reported and generation goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, at one place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A JSON pointer into the document, such as `#/components/schemas/x/properties/y`.
    pub pointer: String,
    /// The line of the place, where it is known (content pulled in from other files).
    pub line: Option<usize>,
    pub message: String,
    /// A part of the document that could not be generated as written and was degraded (a
    /// schema typed as `serde_json::Value`, an operation skipped): `--strict` makes it an
    /// error.
    pub degraded: bool,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match (self.severity, self.degraded) {
            (Severity::Warning, false) => "warning",
            (Severity::Warning, true) => "degraded",
            (Severity::Error, _) => "error",
        };
        match self.line {
            Some(line) => write!(
                f,
                "{level}: {} (line {line}): {}",
                self.pointer, self.message
            ),
            None => write!(f, "{level}: {}: {}", self.pointer, self.message),
        }
    }
}

/// Every problem found so far. Generation collects them all before it gives up, so a document
/// with several problems reports all of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, pointer.into(), message.into());
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, pointer.into(), message.into());
    }

    /// A part that cannot be generated as written and is generated in a lesser form (the
    /// message says which): a warning, or an error under `--strict`.
    pub fn degraded(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, pointer.into(), message.into());
        if let Some(last) = self.items.last_mut() {
            last.degraded = true;
        }
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) {
        let item = Diagnostic {
            severity,
            pointer,
            line: None,
            message,
            degraded: false,
        };
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }

    /// Every degradation becomes an error (`--strict`).
    pub fn escalate_degraded(&mut self) {
        for d in &mut self.items {
            if d.degraded {
                d.severity = Severity::Error;
            }
        }
    }

    /// Every error becomes a degradation, its message prefixed by `what` (an operation that
    /// cannot be generated is skipped, the rest goes on).
    pub fn demote_errors(&mut self, what: &str) {
        for d in &mut self.items {
            if d.severity == Severity::Error {
                d.severity = Severity::Warning;
                d.degraded = true;
                d.message = format!("{what}: {}", d.message);
            }
        }
    }

    pub fn degradations(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.degraded)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems grouped by cause (the message with its quoted names taken out), errors
    /// first, then degradations, then the other warnings, larger groups first; each group
    /// with its count and its first places.
    pub fn grouped(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group> = Vec::new();
        let mut index: std::collections::HashMap<(Severity, bool, String), usize> =
            Default::default();
        for d in &self.items {
            let key = (d.severity, d.degraded, cause(&d.message));
            let i = *index.entry(key.clone()).or_insert_with(|| {
                groups.push(Group {
                    severity: d.severity,
                    degraded: d.degraded,
                    cause: key.2.clone(),
                    items: Vec::new(),
                });
                groups.len() - 1
            });
            groups[i].items.push(d);
        }
        groups.sort_by(|a, b| {
            (b.severity, b.degraded, b.items.len()).cmp(&(a.severity, a.degraded, a.items.len()))
        });
        groups
    }

    /// The grouped problems as text: a group of one is its line; a larger one its first
    /// message, the count and up to `places` more places.
    pub fn summary(&self, places: usize) -> String {
        let mut out = String::new();
        for group in self.grouped() {
            let first = group.items[0];
            out.push_str(&format!("{first}\n"));
            if group.items.len() > 1 {
                let more: Vec<String> = group.items[1..]
                    .iter()
                    .take(places)
                    .map(|d| match d.line {
                        Some(line) => format!("{} (line {line})", d.pointer),
                        None => d.pointer.clone(),
                    })
                    .collect();
                let rest = group.items.len() - 1 - more.len();
                out.push_str(&format!(
                    "    ... the same at {} more place{}: {}{}\n",
                    group.items.len() - 1,
                    if group.items.len() == 2 { "" } else { "s" },
                    more.join(", "),
                    if rest > 0 {
                        format!(", and {rest} more")
                    } else {
                        String::new()
                    }
                ));
            }
        }
        out
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            if !self.items.contains(&d) {
                self.items.push(d);
            }
        }
    }

    /// Rewrites the places of problems in content that bundling pulled in from other files
    /// to where the user wrote it (`models/pet.yaml#/properties/x`, with its line).
    pub fn relocate(&mut self, sources: &crate::bundle::SourceMap) {
        if sources.is_empty() {
            return;
        }
        for d in &mut self.items {
            if !d.pointer.starts_with('#') {
                continue;
            }
            if let Some((pointer, line)) = sources.locate(&d.pointer) {
                d.pointer = pointer;
                d.line = line;
            }
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Problems of one cause.
#[derive(Debug)]
pub struct Group<'d> {
    pub severity: Severity,
    pub degraded: bool,
    /// The message with the names in backquotes replaced by `…`.
    pub cause: String,
    pub items: Vec<&'d Diagnostic>,
}

/// A message's cause: the message with what it quotes (`name`) left out.
fn cause(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '`' {
            if !quoted {
                out.push_str("`…`");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// Builds JSON pointers (RFC 6901) one segment at a time.
pub fn pointer(parent: &str, segment: &str) -> String {
    let mut out = String::with_capacity(parent.len() + 1 + segment.len());
    out.push_str(parent);
    out.push('/');
    crate::pointer::push_escaped(&mut out, segment);
    out
}

/// The pointer `parent/a/b/..`, each segment escaped: one string for a place several keys
/// down.
pub fn pointer_to(parent: &str, segments: &[&str]) -> String {
    let len = segments.iter().map(|s| 1 + s.len()).sum::<usize>();
    let mut out = String::with_capacity(parent.len() + len);
    out.push_str(parent);
    for segment in segments {
        out.push('/');
        crate::pointer::push_escaped(&mut out, segment);
    }
    out
}

/// The pointer of an array's element: `parent/index` (without `format!`, which costs several
/// times as much: this is asked for every element of the document's arrays).
pub fn pointer_index(parent: &str, index: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(index);
    let mut out = String::with_capacity(parent.len() + 1 + digits.len());
    out.push_str(parent);
    out.push('/');
    out.push_str(digits);
    out
}
