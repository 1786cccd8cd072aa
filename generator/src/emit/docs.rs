//! Descriptions from a document become rustdoc that `cargo doc` accepts without warnings and
//! that `cargo test --doc` never tries to compile.
//!
//! - fenced blocks without a language, or marked as Rust, become `text` blocks; unclosed
//!   fences are closed;
//! - indented code blocks become `text` fences;
//! - bare URLs are wrapped in `<...>`;
//! - `[` and `]` that do not form a Markdown link, and `<` that does not open an autolink,
//!   are escaped, so `page[number]` and `Bearer <token>` read as written.

use proc_macro2::TokenStream;
use quote::quote;

/// Languages rustdoc would compile as a doctest.
fn is_rust_fence(info: &str) -> bool {
    let info = info.trim();
    info.is_empty()
        || info.split([',', ' ']).any(|w| {
            matches!(
                w,
                "rust" | "ignore" | "no_run" | "should_panic" | "compile_fail" | "test_harness"
                    | "edition2015" | "edition2018" | "edition2021" | "edition2024"
            )
        })
}

/// Rewrites `text` into safe rustdoc Markdown.
pub fn sanitize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut in_indented = false;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some((ch, len)) = fence {
            let closing = trimmed.chars().take_while(|c| *c == ch).count();
            if closing >= len && trimmed[closing * ch.len_utf8()..].trim().is_empty() {
                fence = None;
                out.push(ch.to_string().repeat(len));
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        let indent = line.len() - trimmed.len();
        let is_indented_code = !trimmed.is_empty()
            && (line.starts_with('\t') || indent >= 4)
            && (previous_blank || in_indented);
        if is_indented_code {
            if !in_indented {
                out.push("```text".to_owned());
                in_indented = true;
            }
            out.push(line.trim_start_matches(['\t', ' ']).to_owned());
            previous_blank = false;
            continue;
        }
        if in_indented && !trimmed.is_empty() {
            out.push("```".to_owned());
            in_indented = false;
        }
        if in_indented && trimmed.is_empty() {
            out.push(String::new());
            continue;
        }
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(ch) = fence_char {
            let len = trimmed.chars().take_while(|c| *c == ch).count();
            if len >= 3 {
                let info = &trimmed[len * ch.len_utf8()..];
                let info = if is_rust_fence(info) { "text" } else { info.trim() };
                out.push(format!("{}{info}", ch.to_string().repeat(len)));
                fence = Some((ch, len));
                previous_blank = false;
                continue;
            }
        }
        previous_blank = trimmed.is_empty();
        out.push(escape_inline(line));
    }
    if let Some((ch, len)) = fence {
        out.push(ch.to_string().repeat(len));
    }
    if in_indented {
        // Drop trailing blank lines inside the block before closing it.
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// Escapes one line of prose, leaving code spans and Markdown links alone.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // A code span: copy up to the closing run of the same length.
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let close = (i + run..chars.len()).find(|&j| {
                    chars[j..].iter().take_while(|c| **c == '`').count() == run
                        && (j == 0 || chars[j - 1] != '`')
                });
                match close {
                    Some(j) => {
                        out.extend(&chars[i..j + run]);
                        i = j + run;
                    }
                    None => {
                        // An unmatched backtick is literal text.
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
            }
            '\\' => {
                out.push('\\');
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                    i += 2;
                } else {
                    out.push('\\');
                    i += 1;
                }
            }
            '[' => match markdown_link_end(&chars, i) {
                Some(end) => {
                    let link: String = chars[i..end].iter().collect();
                    out.push_str(&link);
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i + 1..].iter().take(8).collect();
                let autolink_end = if rest.starts_with("http://") || rest.starts_with("https://") {
                    chars[i..].iter().position(|c| *c == '>').map(|p| i + p + 1)
                } else {
                    None
                };
                match autolink_end {
                    Some(end) if !chars[i..end].iter().any(|c| c.is_whitespace()) => {
                        out.extend(&chars[i..end]);
                        i = end;
                    }
                    _ => {
                        out.push_str("&lt;");
                        i += 1;
                    }
                }
            }
            '>' if !out.trim().is_empty() => {
                out.push_str("&gt;");
                i += 1;
            }
            'h' if starts_url(&chars, i) => {
                let end = (i..chars.len())
                    .find(|&j| chars[j].is_whitespace() || matches!(chars[j], '<' | '>' | '"' | '`'))
                    .unwrap_or(chars.len());
                // Trailing punctuation belongs to the sentence, not the URL.
                let mut end = end;
                while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | ')' | '!' | '?' | '\'') {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
            }
            '*' if chars.get(i + 1) == Some(&'/') => {
                out.push_str("*\\/");
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..].iter().take(8).collect();
    (rest.starts_with("http://") || rest.starts_with("https://"))
        && (i == 0 || !chars[i - 1].is_alphanumeric())
}

/// The end of `[text](url)` starting at `start`, when it is one. The text may not contain
/// brackets; the URL may not contain spaces.
fn markdown_link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = (start + 1..chars.len()).find(|&j| chars[j] == ']' || chars[j] == '[')?;
    if chars[close] != ']' || close == start + 1 || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    if chars[close + 2..end].iter().any(|c| c.is_whitespace() || *c == '<' || *c == '>') {
        return None;
    }
    Some(end + 1)
}

/// Outer doc attributes (`///`) for `text`, which is sanitized first.
pub fn doc_attrs(text: &str) -> TokenStream {
    lines_to_attrs(&sanitize(text), false)
}

/// Inner doc attributes (`//!`).
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    lines_to_attrs(&sanitize(text), true)
}

/// Doc attributes for text that is already rustdoc (written by the generator itself).
pub fn raw_doc_attrs(text: &str) -> TokenStream {
    lines_to_attrs(text, false)
}

fn lines_to_attrs(text: &str, inner: bool) -> TokenStream {
    let mut tokens = TokenStream::new();
    for line in text.split('\n') {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        tokens.extend(if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn brackets_and_tokens_are_escaped() {
        assert_eq!(sanitize("Use page[number]"), "Use page\\[number\\]");
        assert_eq!(
            sanitize("Bearer <token>, where <token> is"),
            "Bearer &lt;token&gt;, where &lt;token&gt; is"
        );
        assert_eq!(sanitize("`page[number]`"), "`page[number]`");
        assert_eq!(sanitize("[Site](https://x.y/z)"), "[Site](https://x.y/z)");
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            sanitize("see https://example.com/a?b=c."),
            "see <https://example.com/a?b=c>."
        );
        assert_eq!(sanitize("<https://example.com>"), "<https://example.com>");
    }

    #[test]
    fn fences_are_never_rust() {
        assert_eq!(sanitize("```\nfn main() {}\n```"), "```text\nfn main() {}\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(sanitize("```rust\nx\n"), "```text\nx\n```");
        assert_eq!(sanitize("text\n\n    indented code\n"), "text\n\n```text\nindented code\n```");
    }

    #[test]
    fn comment_terminators_and_quotes_stay_text() {
        assert_eq!(sanitize("a */ b \"# c"), "a *\\/ b \"# c");
    }
}
