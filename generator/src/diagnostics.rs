//! Problems found in a document, each tied to the place in the document where it was found.

use std::fmt;

/// How bad a problem is: errors stop generation, warnings are reported and generation goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {} (line {line}): {}", self.pointer, self.message),
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

    fn push(&mut self, severity: Severity, pointer: String, message: String) {
        let item = Diagnostic {
            severity,
            pointer,
            line: None,
            message,
        };
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Warning)
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

/// Builds JSON pointers (RFC 6901) one segment at a time.
pub fn pointer(parent: &str, segment: &str) -> String {
    let escaped = segment.replace('~', "~0").replace('/', "~1");
    format!("{parent}/{escaped}")
}
