//! The value inside a string enum's `Unknown` variant.

/// A value of a string enum that this crate does not know: the API added it after the crate was
/// generated. It cannot be written in a pattern or built outside this crate, so that no code
/// depends on a value being unknown: when a later version of the crate learns the value as a
/// variant of its own, code that compares the enum's `as_str()` keeps working, where a match on
/// the unknown value would silently stop matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The value as the API wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
