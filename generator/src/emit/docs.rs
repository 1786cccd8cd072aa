//! Descriptions from a document become rustdoc that `cargo doc` accepts without warnings and
//! that `cargo test --doc` never tries to compile.
//!
//! - fenced blocks without a language, or marked as Rust, become `text` blocks; unclosed
//!   fences are closed;
//! - indented code blocks become `text` fences;
//! - bare URLs are wrapped in `<...>`;
//! - `[` and `]` that do not form a Markdown link, and `<` that does not open an autolink,
//!   are escaped, so `page[number]` and `Bearer <token>` read as written.

use std::borrow::Cow;

use crate::tokens::{quote, TokenStream};

/// Languages rustdoc would compile as a doctest.
fn is_rust_fence(info: &str) -> bool {
    let info = info.trim();
    info.is_empty()
        || info.split([',', ' ']).any(|w| {
            matches!(
                w,
                "rust"
                    | "ignore"
                    | "no_run"
                    | "should_panic"
                    | "compile_fail"
                    | "test_harness"
                    | "edition2015"
                    | "edition2018"
                    | "edition2021"
                    | "edition2024"
            )
        })
}

/// Rewrites `text` into safe rustdoc Markdown.
pub fn sanitize(text: &str) -> String {
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let text = dedent(&text);
    // Indented code becomes a fence longer than any fence line inside it (most text has no
    // backtick at all).
    let longest = match memchr::memchr(b'`', text.as_bytes()) {
        None => 0,
        Some(_) => lines(&text)
            .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
            .max()
            .unwrap_or(0),
    };
    let code_fence = "`".repeat((longest + 1).max(3));
    let mut out = Lines::with_capacity(text.len() + 16);
    let mut fence: Option<(char, usize)> = None;
    let mut in_indented = false;
    let mut previous_blank = true;
    // The content column of the list item being written, if any: its continuation lines are
    // indented to it, as rustdoc's lints ask, rather than left "lazy".
    let mut list_column: Option<usize> = None;
    for line in lines(&text) {
        let trimmed = line.trim_start();
        if let Some((ch, len)) = fence {
            let closing = trimmed.chars().take_while(|c| *c == ch).count();
            if closing >= len && trimmed[closing * ch.len_utf8()..].trim().is_empty() {
                fence = None;
                out.push(&ch.to_string().repeat(len));
            } else {
                out.push(line);
            }
            continue;
        }
        let indent = line.len() - trimmed.len();
        let is_indented_code = !trimmed.is_empty()
            && (line.starts_with('\t') || indent >= 4)
            && (previous_blank || in_indented);
        if is_indented_code {
            if !in_indented {
                let line = out.start();
                line.push_str(&code_fence);
                line.push_str("text");
                in_indented = true;
            }
            out.push(line.trim_start_matches(['\t', ' ']));
            previous_blank = false;
            continue;
        }
        if in_indented && !trimmed.is_empty() {
            out.push(&code_fence);
            in_indented = false;
        }
        if in_indented && trimmed.is_empty() {
            out.push("");
            continue;
        }
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(ch) = fence_char {
            let len = trimmed.chars().take_while(|c| *c == ch).count();
            if len >= 3 {
                let info = &trimmed[len * ch.len_utf8()..];
                let info = if is_rust_fence(info) {
                    "text"
                } else {
                    info.trim()
                };
                out.push(&format!("{}{info}", ch.to_string().repeat(len)));
                fence = Some((ch, len));
                previous_blank = false;
                continue;
            }
        }
        previous_blank = trimmed.is_empty();
        // Headings, quotes, tables and rules end a list item rather than continue it (HTML
        // does not: its `<` is escaped below, so it is text).
        let ends_item = trimmed.starts_with(['#', '>', '|'])
            || (trimmed.len() >= 3
                && trimmed.chars().all(|c| matches!(c, '-' | '*' | '_' | ' '))
                && !trimmed.contains("- "));
        let line = if trimmed.is_empty() || ends_item {
            list_column = None;
            Cow::Borrowed(line)
        } else if let Some(width) = list_marker_width(trimmed) {
            list_column = Some(indent + width);
            Cow::Borrowed(line)
        } else {
            // Continuation lines start at the item's content column: less is "lazy", more
            // is "overindented" (or code), as rustdoc's lints read it.
            match list_column {
                Some(column) if indent != column => {
                    Cow::Owned(format!("{}{trimmed}", " ".repeat(column)))
                }
                _ => Cow::Borrowed(line),
            }
        };
        escape_inline(out.start(), &line);
    }
    if let Some((ch, len)) = fence {
        out.push(&ch.to_string().repeat(len));
    }
    if in_indented {
        // Drop trailing blank lines inside the block before closing it.
        while out.last().is_some_and(str::is_empty) {
            out.pop();
        }
        out.push(&code_fence);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.into_text_from_first_nonblank()
}

/// Lines joined by `\n` as they are written, with where each starts, for the few taken back
/// at the end.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn with_capacity(bytes: usize) -> Lines {
        Lines {
            text: String::with_capacity(bytes),
            starts: Vec::new(),
        }
    }

    /// Starts a line, to be written to the text returned.
    fn start(&mut self) -> &mut String {
        if !self.starts.is_empty() {
            self.text.push('\n');
        }
        self.starts.push(self.text.len());
        &mut self.text
    }

    fn push(&mut self, line: &str) {
        self.start().push_str(line);
    }

    fn last(&self) -> Option<&str> {
        self.starts.last().map(|&start| &self.text[start..])
    }

    /// Takes back the last line and the line break before it.
    fn pop(&mut self) {
        if let Some(start) = self.starts.pop() {
            self.text.truncate(start.saturating_sub(1));
        }
    }

    /// The text without its leading blank lines.
    fn into_text_from_first_nonblank(mut self) -> String {
        let lines = self.starts.iter().enumerate();
        let first = lines
            .map(|(i, &start)| {
                let end = self
                    .starts
                    .get(i + 1)
                    .map_or(self.text.len(), |&next| next - 1);
                (start, &self.text[start..end])
            })
            .find(|(_, line)| !line.trim().is_empty())
            .map_or(self.text.len(), |(start, _)| start);
        self.text.drain(..first);
        self.text
    }
}

/// `str::lines` for text without `\r`: its line ends found by `memchr`'s search over the
/// whole text, not a search set up for each line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    debug_assert!(!text.contains('\r'));
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || match ends.next() {
        Some(end) => {
            let line = &text[start..end];
            start = end + 1;
            Some(line)
        }
        // The text after the last line break, unless it is empty.
        None if start < text.len() => {
            let line = &text[start..];
            start = text.len();
            Some(line)
        }
        None => None,
    })
}

/// Descriptions written as indented blocks (docstrings, YAML block scalars kept indented)
/// lose the indentation all their lines share, which Markdown would read as code.
fn dedent(text: &str) -> Cow<'_, str> {
    // The smallest indentation of a line with text; most texts have a line without any,
    // often the first, and are not read further.
    let mut common: Option<usize> = None;
    for line in lines(text).filter(|l| !l.trim().is_empty()) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        common = Some(common.map_or(indent, |c| c.min(indent)));
        if indent == 0 {
            break;
        }
    }
    let common = common.unwrap_or(0);
    if common == 0 {
        return Cow::Borrowed(text);
    }
    let dedented = lines(text)
        .map(|l| {
            if l.len() >= common {
                &l[common..]
            } else {
                l.trim_start_matches(' ')
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Cow::Owned(dedented)
}

/// The width of a list item's marker and the spaces after it (`- `, `* `, `+ `, `1. `,
/// `2) `), when the line starts a list item.
fn list_marker_width(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    let marker = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    // A marker must be followed by a space and some text; five spaces or more start code.
    if spaces == 0 || spaces > 4 || marker + spaces >= bytes.len() {
        return None;
    }
    Some(marker + spaces)
}

/// Escapes one line of prose onto the end of `out`, leaving code spans and Markdown links
/// alone.
///
/// Every character that changes anything is ASCII, so the line is read byte by byte and the
/// text between two such characters is copied as one slice.
fn escape_inline(out: &mut String, line: &str) {
    let bytes = line.as_bytes();
    // Most lines are plain prose, with none of the characters below that change anything.
    if !bytes
        .iter()
        .any(|b| matches!(b, b'`' | b'\\' | b'[' | b']' | b'<' | b'>' | b'*'))
        && !line.contains("http")
    {
        out.push_str(line);
        return;
    }
    // Where this line starts in `out`.
    let start = out.len();
    // Where the text not yet copied starts.
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        let special = match bytes[i] {
            b'`' | b'\\' | b'[' | b']' | b'<' | b'>' => true,
            b'h' => starts_url(line, i),
            b'*' => bytes.get(i + 1) == Some(&b'/'),
            _ => false,
        };
        if !special {
            i += 1;
            continue;
        }
        out.push_str(&line[plain..i]);
        match bytes[i] {
            b'`' => {
                // A code span: copy up to the closing run of the same length.
                let backticks = |j: usize| bytes[j..].iter().take_while(|b| **b == b'`').count();
                let run = backticks(i);
                let close = (i + run..bytes.len())
                    .find(|&j| backticks(j) == run && (j == 0 || bytes[j - 1] != b'`'));
                match close {
                    Some(j) => {
                        out.push_str(&line[i..j + run]);
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
            b'\\' => {
                out.push('\\');
                match line[i + 1..].chars().next() {
                    Some(next) => {
                        out.push(next);
                        i += 1 + next.len_utf8();
                    }
                    None => {
                        out.push('\\');
                        i += 1;
                    }
                }
            }
            b'[' => match markdown_link_end(line, i) {
                Some(end) => {
                    let link = &line[i..end];
                    let (text, destination) =
                        link[1..link.len() - 1].split_once("](").unwrap_or(("", ""));
                    if is_web_link(destination) {
                        out.push_str(link);
                    } else {
                        // A link into the server's own source (`crate::views::User`) means
                        // nothing here: rustdoc would try to resolve it. The text stays.
                        escape_inline(out, text);
                    }
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            b']' => {
                out.push_str("\\]");
                i += 1;
            }
            b'<' => {
                let rest = &line[i + 1..];
                let autolink_end = if rest.starts_with("http://") || rest.starts_with("https://") {
                    bytes[i..]
                        .iter()
                        .position(|b| *b == b'>')
                        .map(|p| i + p + 1)
                } else {
                    None
                };
                match autolink_end {
                    Some(end) if !line[i..end].chars().any(char::is_whitespace) => {
                        out.push_str(&line[i..end]);
                        i = end;
                    }
                    _ => {
                        out.push_str("&lt;");
                        i += 1;
                    }
                }
            }
            b'>' => {
                out.push_str(if out[start..].trim().is_empty() {
                    ">"
                } else {
                    "&gt;"
                });
                i += 1;
            }
            b'h' => {
                let end = line[i..]
                    .char_indices()
                    .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                    .map_or(line.len(), |(at, _)| i + at);
                // Trailing punctuation belongs to the sentence, not the URL.
                let mut end = end;
                while end > i
                    && matches!(
                        bytes[end - 1],
                        b'.' | b',' | b';' | b':' | b')' | b'!' | b'?' | b'\''
                    )
                {
                    end -= 1;
                }
                out.push('<');
                out.push_str(&line[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                // `*/` would end a block comment in a literal that holds it.
                out.push_str("*\\/");
                i += 2;
            }
        }
        plain = i;
    }
    out.push_str(&line[plain..]);
}

/// Whether a URL starts at byte `i` (and not in the middle of a word).
fn starts_url(line: &str, i: usize) -> bool {
    let rest = &line[i..];
    (rest.starts_with("http://") || rest.starts_with("https://"))
        && line[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// The end of `[text](url)` starting at `start`, when it is one. The text may not contain
/// brackets; the URL may not contain spaces.
/// Whether a Markdown link destination points at a page (rather than a Rust path, which
/// rustdoc would resolve as an intra-doc link).
fn is_web_link(destination: &str) -> bool {
    destination.contains("://")
        || destination.starts_with(['#', '/', '.'])
        || destination.starts_with("mailto:")
}

fn markdown_link_end(line: &str, start: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let close = (start + 1..bytes.len()).find(|&j| bytes[j] == b']' || bytes[j] == b'[')?;
    if bytes[close] != b']' || close == start + 1 || bytes.get(close + 1) != Some(&b'(') {
        return None;
    }
    let end = (close + 2..bytes.len()).find(|&j| bytes[j] == b')')?;
    if line[close + 2..end]
        .chars()
        .any(|c| c.is_whitespace() || c == '<' || c == '>')
    {
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

/// Inner doc attributes (`//!`) for text that is already rustdoc.
pub fn raw_inner_doc_attrs(text: &str) -> TokenStream {
    lines_to_attrs(text, true)
}

fn lines_to_attrs(text: &str, inner: bool) -> TokenStream {
    // One attribute for all the lines (the formatter prints a `///` line for each): a
    // fraction of the tokens. A carriage return has no line form, so such text keeps an
    // attribute a line.
    if !text.contains('\r') {
        // Line ends found by `memchr`'s search over the whole text, not a search set up for
        // each line.
        let mut joined = String::with_capacity(text.len() + 16);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
            if start > 0 {
                joined.push('\n');
            }
            if end > start {
                joined.push(' ');
                joined.push_str(&text[start..end]);
            }
            start = end + 1;
        }
        let mut tokens = TokenStream::with_capacity(1);
        tokens.doc(inner, joined);
        return tokens;
    }
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
    fn lines_are_the_lines_of_str() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\n\nb\n\n",
            "\n\na",
            " x \n y",
        ] {
            let ours: Vec<&str> = super::lines(text).collect();
            let std: Vec<&str> = text.lines().collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn indented_descriptions_are_dedented_and_code_fences_never_close_early() {
        let text = "\n    Intro.\n\n    - item\n      more\n    ```json\n    {}\n    ```\n  ";
        assert_eq!(sanitize(text), "Intro.\n\n- item\n  more\n```json\n{}\n```");
        let text = "Text.\n\n    code\n    ```\n";
        assert_eq!(sanitize(text), "Text.\n\n````text\ncode\n```\n````");
        // HTML in a list item is text (escaped), and continues the item.
        assert_eq!(
            sanitize("* a - <ul>\n<li>b"),
            "* a - &lt;ul&gt;\n  &lt;li&gt;b"
        );
        assert_eq!(
            sanitize("* `a` - one\n        two\n* b"),
            "* `a` - one\n  two\n* b"
        );
    }

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
        assert_eq!(
            sanitize("```\nfn main() {}\n```"),
            "```text\nfn main() {}\n```"
        );
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(sanitize("```rust\nx\n"), "```text\nx\n```");
        assert_eq!(
            sanitize("text\n\n    indented code\n"),
            "text\n\n```text\nindented code\n```"
        );
    }

    #[test]
    fn list_items_continue_at_their_content_column() {
        assert_eq!(
            sanitize("- first line\nsecond line\n12. ordered\nmore\n\nafter"),
            "- first line\n  second line\n12. ordered\n    more\n\nafter"
        );
        // Headings and rules end the item instead.
        assert_eq!(
            sanitize("* item\n### Heading\n* next\n---"),
            "* item\n### Heading\n* next\n---"
        );
        // Not list markers: no space after, or emphasis.
        assert_eq!(sanitize("-1 is a value\nnext"), "-1 is a value\nnext");
    }

    #[test]
    fn links_into_source_code_keep_only_their_text() {
        assert_eq!(
            sanitize("for a [`User`](crate::external_api::views::User), see [docs](https://x.dev/a) or [top](#top)"),
            "for a `User`, see [docs](https://x.dev/a) or [top](#top)"
        );
    }

    #[test]
    fn comment_terminators_and_quotes_stay_text() {
        assert_eq!(sanitize("a */ b \"# c"), "a *\\/ b \"# c");
    }
}
