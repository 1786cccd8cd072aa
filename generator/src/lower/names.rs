//! Every naming decision: Rust identifiers from whatever a document calls things, keywords,
//! collisions. Emitters never invent names.

use rustc_hash::FxHashSet as HashSet;

use super::case;

/// Whether `word` is a Rust keyword (strict, reserved or of a later edition): a `match` on
/// the bytes, which compiles to a decision on the length and each byte (on `str` patterns
/// it would compare the word with one keyword after another).
fn is_keyword(word: &str) -> bool {
    matches!(
        word.as_bytes(),
        b"as"
            | b"async"
            | b"await"
            | b"break"
            | b"const"
            | b"continue"
            | b"crate"
            | b"dyn"
            | b"else"
            | b"enum"
            | b"extern"
            | b"false"
            | b"fn"
            | b"for"
            | b"gen"
            | b"if"
            | b"impl"
            | b"in"
            | b"let"
            | b"loop"
            | b"match"
            | b"mod"
            | b"move"
            | b"mut"
            | b"pub"
            | b"ref"
            | b"return"
            | b"self"
            | b"Self"
            | b"static"
            | b"struct"
            | b"super"
            | b"trait"
            | b"true"
            | b"type"
            | b"unsafe"
            | b"use"
            | b"where"
            | b"while"
            | b"abstract"
            | b"become"
            | b"box"
            | b"do"
            | b"final"
            | b"macro"
            | b"override"
            | b"priv"
            | b"try"
            | b"typeof"
            | b"unsized"
            | b"virtual"
            | b"yield"
    )
}

/// Names the `types` module's own code writes without a path (the prelude, derives, traits). The
/// runtime's names (`Client`, `Error`, ...) are not among them: data types live in `types`.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Value",
    "Map",
    // Traits and derives the generated code names without a path.
    "From",
    "Into",
    "Serialize",
    "Deserialize",
    "Self",
    "Debug",
    "Display",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Iterator",
    "AsRef",
    "ToString",
];

/// Whether the generated code itself uses `name` where type names appear.
pub fn is_reserved_type(name: &str) -> bool {
    RESERVED_TYPES.contains(&name)
}

/// Splits text into words of ASCII letters and digits; everything else separates words.
/// `page[number]` gives `page number`; `Contact's offers` gives `Contacts offers`. Letters
/// of other scripts are transliterated (`größe` gives `grosse`, `名前` gives `Ming Qian`)
/// rather than dropped, and a leading `@` (JSON-LD's `@id` beside `id`) is the word `at`.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let raw = match raw.strip_prefix('@') {
        Some(rest) if rest.starts_with(|c: char| c.is_alphanumeric()) => {
            out.push_str("at ");
            rest
        }
        _ => raw,
    };
    // `+1` and `-1` (reactions) are `plus_1` and `minus_1`.
    let raw = match raw.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
            out.push_str("minus ");
            rest
        }
        _ => raw,
    };
    // Comparison operators are words (`date<` is `date lt`, `price>=` is `price gte`), unless
    // the text has both angle brackets, which then enclose something (`Page<User>`).
    let operators = !(raw.contains('<') && raw.contains('>'));
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if operators && matches!(c, '<' | '>' | '!') {
            let equals = chars.peek() == Some(&'=');
            let word = match (c, equals) {
                ('<', false) => " lt ",
                ('<', true) => " lte ",
                ('>', false) => " gt ",
                ('>', true) => " gte ",
                ('!', true) => " ne ",
                _ => " ",
            };
            if equals {
                chars.next();
            }
            out.push_str(word);
            continue;
        }
        if c == '+' {
            out.push_str(" plus ");
            continue;
        }
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            // `deunicode` (a port of Perl's Text::Unidecode): `ö` is `o`, `北` is `Bei `.
            let ascii = deunicode::deunicode_char(c).unwrap_or(" ");
            out.extend(
                ascii
                    .chars()
                    .map(|a| if a.is_ascii_alphanumeric() { a } else { ' ' }),
            );
        }
    }
    out
}

type Memo = std::cell::RefCell<rustc_hash::FxHashMap<String, String>>;

thread_local! {
    // The general rules (word splitting, transliteration, heck's case conversion) take
    // thousands of instructions a name, and a document names the same things in many
    // places (a parameter in every operation, a property in every schema).
    static SNAKE: Memo = Memo::default();
    static PASCAL: Memo = Memo::default();
}

/// `convert(raw)`, from the thread's memo when this thread converted `raw` before.
fn remembered(
    memo: &'static std::thread::LocalKey<Memo>,
    raw: &str,
    convert: fn(&str) -> String,
) -> String {
    /// Past this many names the memo starts over, so that a long-lived process that
    /// generates many documents does not keep all their names.
    const MEMO_LIMIT: usize = 1 << 16;
    memo.with(|memo| {
        if let Some(name) = memo.borrow().get(raw) {
            return name.clone();
        }
        let name = convert(raw);
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(raw.to_owned(), name.clone());
        name
    })
}

/// A `snake_case` identifier, never empty, never a keyword, never starting with a digit.
pub fn snake(raw: &str) -> String {
    // Most names are snake case already (`created_at`): they are their own identifier.
    if is_snake_words(raw) && !is_keyword(raw) {
        return raw.to_owned();
    }
    snake_general(raw)
}

fn snake_general(raw: &str) -> String {
    remembered(&SNAKE, raw, snake_uncached)
}

fn snake_uncached(raw: &str) -> String {
    let mut s = case::snake(&words(raw));
    if s.is_empty() {
        s = "value".to_owned();
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '_') {
        // `1.2` gives `n1_2`: a name of digits and underscores alone says nothing.
        s.insert(0, 'n');
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if is_keyword(&s) || s == "_" {
        s.push('_');
    }
    s
}

/// An `UPPER_SNAKE_CASE` name for a constant, empty when `raw` has no letter or digit.
pub fn shouty(raw: &str) -> String {
    use heck::ToShoutySnakeCase;
    words(raw).to_shouty_snake_case()
}

/// A `PascalCase` identifier, never empty, never a keyword, never starting with a digit.
pub fn pascal(raw: &str) -> String {
    // Snake-case words (`created_at`, `v2`) are each capitalized, as heck does; anything
    // else (camel case, acronyms, operators) goes through the general rules.
    if let Some(s) = pascal_of_snake(raw) {
        return s;
    }
    pascal_general(raw)
}

/// Lowercase ASCII words and digits joined by single underscores, starting with a letter
/// (`created_at`, `v2_name`): names heck's rules leave as they are in snake case.
fn is_snake_words(raw: &str) -> bool {
    // Byte by byte: this is asked of every name, and a substring search costs more to set up
    // than these names are long.
    let bytes = raw.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes.last() != Some(&b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !bytes.windows(2).any(|pair| pair == b"__")
}

fn pascal_of_snake(raw: &str) -> Option<String> {
    if !is_snake_words(raw) {
        return None;
    }
    // Each word's first letter capitalized and the underscores dropped, byte by byte (the
    // name is ASCII): a split on `_` costs more to set up than these names are long.
    let mut out = String::with_capacity(raw.len());
    let mut starts_word = true;
    for byte in raw.bytes() {
        if byte == b'_' {
            starts_word = true;
            continue;
        }
        out.push(char::from(if starts_word {
            byte.to_ascii_uppercase()
        } else {
            byte
        }));
        starts_word = false;
    }
    (!is_keyword(&out)).then_some(out)
}

fn pascal_general(raw: &str) -> String {
    remembered(&PASCAL, raw, pascal_uncached)
}

fn pascal_uncached(raw: &str) -> String {
    let mut s = case::pascal(&words(raw));
    if s.is_empty() {
        s = "Value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// `PaymentTransactions` as `PaymentTransaction`, `Entries` as `Entry`, `TimeSeries` as it is:
/// the name with its last word made singular (English rules: the `pluralize` package's, in
/// `english.rs`), or `None` when that word is not a plural noun of four letters or
/// more (`Dns`, `Status`, `Data` stay, so does a name ending in a digit).
pub fn singular(name: &str) -> Option<String> {
    let start = name
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(0, |(i, _)| i);
    let word = &name[start..];
    if word.len() < 4
        || !word.ends_with('s')
        || word.ends_with("ss")
        || !word.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    // Words whose `-es` is the singular's own `e` plus the plural `s`, which the rules read
    // as `-ches` (`Batches`).
    const OWN_E: &[&str] = &["Caches", "Niches", "caches", "niches"];
    let one = if OWN_E.contains(&word) {
        word[..word.len() - 1].to_owned()
    } else {
        super::english::singular(word)
    };
    (one != word && one.len() >= 2).then(|| format!("{}{one}", &name[..start]))
}

/// A set of names already given out in one scope; `claim` makes a name unique by numbering.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// A scope for type names, with the runtime's and the prelude's names kept out.
    pub fn for_types() -> Self {
        Self::with_reserved(RESERVED_TYPES)
    }

    /// `name`, or `name2`, `name3`, ... (`name_2` for snake case) if taken.
    pub fn claim(&mut self, name: String) -> String {
        self.claim_family(name, &[])
    }

    /// [`claim`](Self::claim), for a name that brings others with it (`list` and
    /// `list_with_response`): the first candidate whose every member is free, all of them
    /// claimed.
    pub fn claim_family(&mut self, name: String, suffixes: &[&str]) -> String {
        let free = |taken: &HashSet<String>, candidate: &str| {
            !taken.contains(candidate)
                && suffixes
                    .iter()
                    .all(|s| !taken.contains(&format!("{candidate}{s}")))
        };
        let chosen = if free(&self.taken, &name) {
            name
        } else {
            // A keyword's escape (`Self_`, `type_`) is not part of the name: `Self2`, `type_2`.
            let base = name.trim_end_matches('_');
            let sep = if base.contains('_') || base.chars().all(|c| !c.is_ascii_uppercase()) {
                "_"
            } else {
                ""
            };
            (2..)
                .map(|i| format!("{base}{sep}{i}"))
                .find(|candidate| free(&self.taken, candidate))
                .expect("numbered names never run out")
        };
        for s in suffixes {
            self.taken.insert(format!("{chosen}{s}"));
        }
        self.taken.insert(chosen.clone());
        chosen
    }

    /// Marks `name` as taken.
    pub fn reserve(&mut self, name: String) {
        self.taken.insert(name);
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// The variant name of a documented response: the reason phrase for a code
/// (`Unauthorized`), the class for a range (`ClientError`), `Default` for `default`.
pub fn status_name(status: crate::model::StatusSpec) -> String {
    use crate::model::StatusSpec;
    match status {
        StatusSpec::Code(c) => status_variant(c),
        StatusSpec::Range(r) => match r {
            1 => "Informational".into(),
            2 => "Success".into(),
            3 => "Redirection".into(),
            4 => "ClientError".into(),
            5 => "ServerError".into(),
            other => format!("Status{other}XX"),
        },
        StatusSpec::Default => "Default".into(),
    }
}

/// The canonical reason phrase of an HTTP status, as a variant name (`Unauthorized`).
pub fn status_variant(code: u16) -> String {
    let reason = match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "Uri Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "Im A Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "Http Version Not Supported",
        _ => return format!("Status{code}"),
    };
    pascal(reason)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_of_snake_case_words_are_as_the_general_rules_make_them() {
        for raw in [
            "created_at",
            "id",
            "v2",
            "page2_size",
            "a_1",
            "x_y_z",
            "http_url",
            "self",
            "type",
            "a1b2",
            "list_v1_models",
            "ipv6_address",
            "s3",
            "x",
        ] {
            assert_eq!(super::pascal(raw), super::pascal_general(raw), "{raw}");
            assert_eq!(super::snake(raw), super::snake_general(raw), "{raw}");
        }
    }

    use super::*;

    #[test]
    fn bracketed_wire_names_become_readable() {
        assert_eq!(snake("page[number]"), "page_number");
        assert_eq!(snake("filter[site_id]"), "filter_site_id");
        assert_eq!(snake("fields[customers]"), "fields_customers");
    }

    #[test]
    fn keywords_digits_and_symbols() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("Date<"), "date_lt");
        assert_eq!(snake("date>="), "date_gte");
        assert_eq!(snake("amount!="), "amount_ne");
        assert_eq!(pascal("Page<User>"), "PageUser");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("1st"), "_1st");
        assert_eq!(snake("*/"), "value");
        assert_eq!(snake("+1"), "plus_1");
        assert_eq!(snake("-1"), "minus_1");
        assert_eq!(snake("1.2"), "n1_2");
        assert_eq!(snake("12"), "n12");
        assert_eq!(snake("x-rate-limit"), "x_rate_limit");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("2fa"), "V2fa");
        assert_eq!(pascal("\"#]"), "Value");
        assert_eq!(snake("List contact's offers"), "list_contacts_offers");
    }

    #[test]
    fn other_scripts_are_transliterated_and_a_leading_at_is_a_word() {
        assert_eq!(snake("größe"), "grosse");
        assert_eq!(snake("Crème brûlée"), "creme_brulee");
        assert_eq!(pascal("Ωmega"), "Omega");
        assert_eq!(snake("名前"), "ming_qian");
        assert_eq!(pascal("état"), "Etat");
        // Nothing a letter could stand for: the general fallback.
        assert_eq!(snake("→"), "value");
        // JSON-LD and Hydra put `@id` beside `id`; OData's `@odata.nextLink`.
        assert_eq!(snake("@id"), "at_id");
        assert_eq!(pascal("@type"), "AtType");
        assert_eq!(snake("@odata.nextLink"), "at_odata_next_link");
        assert_eq!(snake("value@odata.nextLink"), "value_odata_next_link");
        assert_eq!(snake("@"), "value");
    }

    #[test]
    fn scope_numbers_collisions() {
        let mut scope = Scope::for_types();
        assert_eq!(scope.claim("Foo".into()), "Foo");
        assert_eq!(scope.claim("Foo".into()), "Foo2");
        assert_eq!(scope.claim("String".into()), "String2");
        // The runtime's names are its own: data types live in `types`.
        assert_eq!(scope.claim("Client".into()), "Client");
        assert_eq!(scope.claim("Error".into()), "Error");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("page_number".into()), "page_number");
        assert_eq!(fields.claim("page_number".into()), "page_number_2");
        // A keyword's escape gives way to the number: `self` and `Self` as enum values are
        // `Self_` and `Self2` (`Self_2` is not camel case), `type` twice is `type_2`.
        let mut variants = Scope::default();
        assert_eq!(variants.claim(pascal("self")), "Self_");
        assert_eq!(variants.claim(pascal("Self")), "Self2");
        assert_eq!(fields.claim(snake("type")), "type_");
        assert_eq!(fields.claim(snake("type")), "type_2");
    }
}
