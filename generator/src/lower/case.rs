//! `snake_case`, `PascalCase` and `kebab-case` exactly as the `heck` crate writes them, for
//! ASCII text without heck's cost: heck writes each character through `core::fmt` (a
//! `write!` of `char::to_lowercase` per character), several thousand instructions for one
//! name. Text with any other character is left to heck.
//!
//! The words are heck's: the text splits at every character that is not a letter or digit,
//! and inside each piece before an uppercase letter that follows a lowercase one
//! (`fooBar`) and before the last of a run of uppercase letters followed by a lowercase one
//! (`HTTPServer` is `HTTP` and `Server`); digits take the case of the letter before them.
//! The tests below hold the two to that on every word of the corpus and on random text.

use heck::{ToKebabCase, ToPascalCase, ToSnakeCase};

/// `fooBar baz` as `foo_bar_baz`.
pub(super) fn snake(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_snake_case();
    }
    joined(text, b'_', |byte, _| byte.to_ascii_lowercase())
}

/// `foo_bar baz` as `FooBarBaz`.
pub(super) fn pascal(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_pascal_case();
    }
    joined(text, 0, |byte, first| {
        if first {
            byte.to_ascii_uppercase()
        } else {
            byte.to_ascii_lowercase()
        }
    })
}

/// `fooBar baz` as `foo-bar-baz`.
pub(super) fn kebab(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_kebab_case();
    }
    joined(text, b'-', |byte, _| byte.to_ascii_lowercase())
}

/// The words of ASCII `text`, each byte written as `case` gives it (told whether it is the
/// word's first), with `separator` between two words (none when it is 0).
fn joined(text: &str, separator: u8, case: impl Fn(u8, bool) -> u8) -> String {
    let mut out = Vec::with_capacity(text.len() + 4);
    each_word(text, |word| {
        if separator != 0 && !out.is_empty() {
            out.push(separator);
        }
        for (i, &byte) in word.iter().enumerate() {
            out.push(case(byte, i == 0));
        }
    });
    // Only ASCII bytes were written.
    String::from_utf8(out).expect("ASCII text stays ASCII")
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Boundary,
    Lowercase,
    Uppercase,
}

/// Calls `word` with each word of ASCII `text`, in order; never with an empty one.
fn each_word(text: &str, mut word: impl FnMut(&[u8])) {
    for piece in text.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for (i, &byte) in piece.iter().enumerate() {
            let Some(&next) = piece.get(i + 1) else {
                word(&piece[start..]);
                break;
            };
            let next_mode = if byte.is_ascii_lowercase() {
                Mode::Lowercase
            } else if byte.is_ascii_uppercase() {
                Mode::Uppercase
            } else {
                mode
            };
            if next_mode == Mode::Lowercase && next.is_ascii_uppercase() {
                // `fooBar`: a word ends after the lowercase letter.
                word(&piece[start..=i]);
                start = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Uppercase
                && byte.is_ascii_uppercase()
                && next.is_ascii_lowercase()
            {
                // `HTTPServer`: a word ends before the last uppercase letter.
                word(&piece[start..i]);
                start = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use heck::{ToKebabCase, ToPascalCase, ToSnakeCase};

    fn same_as_heck(text: &str) {
        assert_eq!(super::snake(text), text.to_snake_case(), "snake {text:?}");
        assert_eq!(
            super::pascal(text),
            text.to_pascal_case(),
            "pascal {text:?}"
        );
        assert_eq!(super::kebab(text), text.to_kebab_case(), "kebab {text:?}");
    }

    /// Every key and every string of every corpus document (and openapi.yaml) whose text is
    /// ASCII: the names the generator is asked to convert, and then some.
    #[test]
    fn corpus_text_converts_as_heck_converts_it() {
        fn visit(value: &serde_json::Value, seen: &mut std::collections::BTreeSet<String>) {
            match value {
                serde_json::Value::String(s) if s.len() < 200 => {
                    seen.insert(s.clone());
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| visit(v, seen)),
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        seen.insert(k.clone());
                        visit(v, seen);
                    }
                }
                _ => {}
            }
        }
        let files = crate::corpus_documents();
        let mut seen = std::collections::BTreeSet::new();
        for file in &files {
            let text = std::fs::read_to_string(file).expect("a corpus document");
            let value = crate::load::parse_document(&text)
                .unwrap_or_else(|_| panic!("{} parses", file.display()));
            visit(&value, &mut seen);
        }
        assert!(seen.len() > 10_000, "only {} texts found", seen.len());
        for text in seen.iter().filter(|t| t.is_ascii()) {
            same_as_heck(text);
        }
    }

    /// Random ASCII text, weighted to the characters that decide words: cases, digits and
    /// separators next to each other in every order.
    #[test]
    fn random_text_converts_as_heck_converts_it() {
        const ALPHABET: &[u8] = b"aAbBzZ09__--  .$@<>";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let text: String = (0..len)
                .map(|i| {
                    let pick = (state >> (i * 5)) as usize % ALPHABET.len();
                    char::from(ALPHABET[pick])
                })
                .collect();
            same_as_heck(&text);
        }
        // Text that is not ASCII goes to heck itself.
        same_as_heck("Größe Σίσυφος");
    }
}
