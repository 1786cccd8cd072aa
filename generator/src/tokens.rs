//! Rust tokens as the emitters build them and the formatter reads them: words and punctuation
//! whose text the template already has (`&'static str`, no allocation), owned text only for
//! what a template interpolates, and groups that own their tokens.
//!
//! `quote!` (from `openapi-rust-generator-macros`) compiles a template into calls on
//! [`TokenStream`]; [`ToTokens`] is what `#var` interpolates, with `quote`'s meaning for each
//! type (`&str` and `String` are string literals, integers suffixed literals).

use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

pub use openapi_rust_generator_macros::quote;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Delimiter {
    Parenthesis,
    Brace,
    Bracket,
}

/// Whether a punctuation character is joined to the next one (`:` of `::`, `-` of `->`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Spacing {
    Alone,
    Joint,
}

#[derive(Clone, Debug)]
pub enum TokenTree {
    /// An identifier or keyword (`r#type` for a raw one).
    Ident(Cow<'static, str>),
    /// A literal as written (`"text"`, `1`, `-5`, `2u16`).
    Literal(Cow<'static, str>),
    Punct(char, Spacing),
    Group(Delimiter, TokenStream),
    /// A group whose tokens are constants (`quote!` writes one for a group that interpolates
    /// nothing: `[derive(Debug, Clone)]`, `(&self)`).
    StaticGroup(Delimiter, &'static [TokenTree]),
    /// The tokens of an interpolated stream (`#tokens`), in place and without a group:
    /// shared with the stream they came from rather than copied. Never empty.
    Stream(TokenStream),
    /// Constant tokens in place, without a group (`quote!` writes one for a run of words and
    /// punctuation between interpolations and groups). Never empty.
    Static(&'static [TokenTree]),
    /// A doc attribute, `#[doc = ".."]` (`#![doc = ".."]` when `inner`), holding its text as
    /// it is: the formatter prints it as `///` lines without quoting and unquoting the text.
    Doc {
        inner: bool,
        text: String,
    },
}

/// A sequence of tokens. Cloning one, or interpolating it into a template, shares its tokens
/// (a reference count) instead of copying them: an operation's parts are built once and
/// written into the template of the operation, which is written into its module's.
#[derive(Clone, Debug, Default)]
pub struct TokenStream(Option<Rc<Vec<TokenTree>>>);

impl TokenStream {
    pub fn new() -> TokenStream {
        TokenStream(None)
    }

    /// An empty stream with room for `n` trees (a template's own count: `quote!` passes it).
    pub fn with_capacity(n: usize) -> TokenStream {
        TokenStream((n > 0).then(|| Rc::new(Vec::with_capacity(n))))
    }

    pub fn is_empty(&self) -> bool {
        self.trees().is_empty()
    }

    /// The trees at the top level (an interpolated stream is one [`TokenTree::Stream`]).
    pub(crate) fn trees(&self) -> &[TokenTree] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The trees to push to, copied first only if another stream shares them.
    #[inline]
    fn trees_mut(&mut self) -> &mut Vec<TokenTree> {
        let rc = self.0.get_or_insert_with(Default::default);
        if Rc::get_mut(rc).is_none() {
            unshare(rc);
        }
        Rc::get_mut(rc).expect("not shared any more")
    }

    /// The trees, moved out when no other stream shares them.
    fn into_vec(self) -> Vec<TokenTree> {
        match self.0 {
            None => Vec::new(),
            Some(rc) => Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone()),
        }
    }

    // Single trees. `quote!` writes runs of words and punctuation with `extend`, a lone one
    // with `push_tree`, and groups with `group`.

    #[inline]
    pub fn ident(&mut self, text: &'static str) {
        self.push(TokenTree::Ident(Cow::Borrowed(text)));
    }

    #[inline]
    pub fn punct(&mut self, ch: char, spacing: Spacing) {
        self.push(TokenTree::Punct(ch, spacing));
    }

    #[inline]
    pub fn group(&mut self, delimiter: Delimiter, inner: TokenStream) {
        self.push(TokenTree::Group(delimiter, inner));
    }

    /// Appends a doc attribute with `text` (`#![doc]` when `inner`).
    pub fn doc(&mut self, inner: bool, text: String) {
        self.push(TokenTree::Doc { inner, text });
    }

    #[inline]
    fn push(&mut self, tree: TokenTree) {
        self.trees_mut().push(tree);
    }

    /// Appends one tree (what `quote!` writes for a lone word or punctuation character).
    #[inline]
    pub fn push_tree(&mut self, tree: TokenTree) {
        self.push(tree);
    }

    /// Appends `stream` (its trees, not copied).
    fn append(&mut self, stream: TokenStream) {
        if stream.is_empty() {
            return;
        }
        if self.0.is_none() {
            *self = stream;
        } else {
            self.push(TokenTree::Stream(stream));
        }
    }
}

/// Gives `rc` trees of its own, copied from those it shares (rare: a stream shared by a
/// template is read, not pushed to).
#[cold]
#[inline(never)]
fn unshare(rc: &mut Rc<Vec<TokenTree>>) {
    *rc = Rc::new(Vec::clone(rc));
}

impl Extend<TokenStream> for TokenStream {
    fn extend<I: IntoIterator<Item = TokenStream>>(&mut self, streams: I) {
        for stream in streams {
            self.append(stream);
        }
    }
}

impl Extend<TokenTree> for TokenStream {
    fn extend<I: IntoIterator<Item = TokenTree>>(&mut self, trees: I) {
        self.trees_mut().extend(trees);
    }
}

/// The trees in order, interpolated streams opened (groups stay whole).
impl IntoIterator for TokenStream {
    type Item = TokenTree;
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter {
            current: self.into_vec().into_iter(),
            outer: Vec::new(),
        }
    }
}

pub struct IntoIter {
    current: std::vec::IntoIter<TokenTree>,
    /// Where the streams opened around `current` go on.
    outer: Vec<std::vec::IntoIter<TokenTree>>,
}

impl Iterator for IntoIter {
    type Item = TokenTree;

    #[inline]
    fn next(&mut self) -> Option<TokenTree> {
        loop {
            match self.current.next() {
                Some(TokenTree::Stream(inner)) => {
                    let rest = std::mem::replace(&mut self.current, inner.into_vec().into_iter());
                    self.outer.push(rest);
                }
                Some(TokenTree::Static(trees)) => {
                    let copied: Vec<TokenTree> = trees.to_vec();
                    let rest = std::mem::replace(&mut self.current, copied.into_iter());
                    self.outer.push(rest);
                }
                Some(TokenTree::StaticGroup(delimiter, trees)) => {
                    let mut inner = TokenStream::new();
                    inner.extend(trees.iter().cloned());
                    return Some(TokenTree::Group(delimiter, inner));
                }
                Some(tree) => return Some(tree),
                None => self.current = self.outer.pop()?,
            }
        }
    }
}

impl FromIterator<TokenStream> for TokenStream {
    fn from_iter<I: IntoIterator<Item = TokenStream>>(streams: I) -> TokenStream {
        let mut out = TokenStream::new();
        out.extend(streams);
        out
    }
}

/// Tokens separated by spaces, joint punctuation joined (as `proc_macro2` prints them); for
/// messages and tests, the files are written by `crate::format`.
impl fmt::Display for TokenStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write(trees: &[TokenTree], joint: &mut bool, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for tree in trees {
                match tree {
                    TokenTree::Stream(inner) => {
                        write(inner.trees(), joint, f)?;
                        continue;
                    }
                    TokenTree::Static(inner) => {
                        write(inner, joint, f)?;
                        continue;
                    }
                    _ => {}
                }
                if !*joint {
                    f.write_str(" ")?;
                }
                *joint = false;
                match tree {
                    TokenTree::Ident(text) | TokenTree::Literal(text) => f.write_str(text)?,
                    TokenTree::Punct(ch, spacing) => {
                        write!(f, "{ch}")?;
                        *joint = *spacing == Spacing::Joint;
                    }
                    TokenTree::Group(delimiter, inner) => group(*delimiter, inner.trees(), f)?,
                    TokenTree::StaticGroup(delimiter, inner) => group(*delimiter, inner, f)?,
                    TokenTree::Doc { inner, text } => {
                        let bang = if *inner { "!" } else { "" };
                        write!(f, "#{bang}[doc = {}]", string_repr(text))?;
                    }
                    TokenTree::Stream(_) | TokenTree::Static(_) => unreachable!("opened above"),
                }
            }
            Ok(())
        }
        fn group(
            delimiter: Delimiter,
            inner: &[TokenTree],
            f: &mut fmt::Formatter<'_>,
        ) -> fmt::Result {
            let (open, close) = match delimiter {
                Delimiter::Parenthesis => ("(", ")"),
                Delimiter::Brace => ("{ ", " }"),
                Delimiter::Bracket => ("[", "]"),
            };
            if inner.is_empty() && delimiter == Delimiter::Brace {
                return f.write_str("{ }");
            }
            f.write_str(open)?;
            write(inner, &mut true, f)?;
            f.write_str(close)
        }
        write(self.trees(), &mut true, f)
    }
}

/// An identifier made at run time.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ident(Cow<'static, str>);

impl Ident {
    pub fn new(name: &str) -> Ident {
        debug_assert!(
            !name.is_empty()
                && !name.contains(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#')),
            "not an identifier: {name:?}"
        );
        Ident(Cow::Owned(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A literal made at run time.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Literal(Cow<'static, str>);

impl Literal {
    pub fn i64_unsuffixed(n: i64) -> Literal {
        Literal(Cow::Owned(n.to_string()))
    }

    pub fn u16_unsuffixed(n: u16) -> Literal {
        Literal(Cow::Owned(n.to_string()))
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What `#var` writes into a template.
pub trait ToTokens {
    fn to_tokens(&self, tokens: &mut TokenStream);

    fn to_token_stream(&self) -> TokenStream {
        let mut tokens = TokenStream::new();
        self.to_tokens(&mut tokens);
        tokens
    }

    fn into_token_stream(self) -> TokenStream
    where
        Self: Sized,
    {
        self.to_token_stream()
    }
}

impl ToTokens for TokenStream {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if !self.is_empty() {
            tokens.push(TokenTree::Stream(self.clone()));
        }
    }

    fn into_token_stream(self) -> TokenStream {
        self
    }
}

impl ToTokens for TokenTree {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.push(self.clone());
    }
}

impl ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.push(TokenTree::Ident(self.0.clone()));
    }
}

impl ToTokens for Literal {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.push(TokenTree::Literal(self.0.clone()));
    }
}

impl<T: ToTokens + ?Sized> ToTokens for &T {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        (**self).to_tokens(tokens)
    }
}

impl<T: ToTokens + ?Sized> ToTokens for &mut T {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        (**self).to_tokens(tokens)
    }
}

impl<T: ToTokens + ?Sized> ToTokens for Box<T> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        (**self).to_tokens(tokens)
    }
}

/// Nothing for `None`.
impl<T: ToTokens> ToTokens for Option<T> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if let Some(t) = self {
            t.to_tokens(tokens)
        }
    }
}

/// A string literal.
impl ToTokens for str {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.push(TokenTree::Literal(Cow::Owned(string_repr(self))));
    }
}

impl ToTokens for String {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.as_str().to_tokens(tokens)
    }
}

/// A character literal (`'x'`, `'\''`; `"` as it is).
impl ToTokens for char {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut repr = String::from("'");
        if *self == '"' {
            repr.push('"');
        } else {
            repr.extend(self.escape_debug());
        }
        repr.push('\'');
        tokens.push(TokenTree::Literal(Cow::Owned(repr)));
    }
}

impl ToTokens for bool {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.ident(if *self { "true" } else { "false" });
    }
}

macro_rules! suffixed {
    ($($ty:ident)*) => {
        $(
            /// A literal with the type's suffix (`2u16`).
            impl ToTokens for $ty {
                fn to_tokens(&self, tokens: &mut TokenStream) {
                    tokens.push(TokenTree::Literal(Cow::Owned(format!(concat!("{}", stringify!($ty)), self))));
                }
            }
        )*
    };
}

suffixed!(i8 i16 i32 i64 u8 u16 u32 u64 usize isize);

/// The text of a string literal of `text`, as `proc_macro2::Literal::string` writes it:
/// printable ASCII as it is, every other character as `char::escape_debug` writes it (`\"`, `\\`, `\n`, `\u{301}`; `\0` as `\x00` before an
/// octal digit, so that it cannot read as an octal escape elsewhere).
pub fn string_repr(text: &str) -> String {
    let mut repr = String::with_capacity(text.len() + text.len() / 16 + 2);
    repr.push('"');
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        repr.push_str(&text[run..i]);
        let ch = text[i..].chars().next().expect("a character starts here");
        if ch == '\0' {
            if bytes.get(i + 1).is_some_and(|b| (b'0'..=b'7').contains(b)) {
                repr.push_str("\\x00");
            } else {
                repr.push_str("\\0");
            }
        } else {
            repr.extend(ch.escape_debug());
        }
        i += ch.len_utf8();
        run = i;
    }
    repr.push_str(&text[run..]);
    repr.push('"');
    repr
}

/// What a repetition (`#( .. )*`) calls on each variable in it: iterators and collections
/// give their items, anything else is written each time. Each says which it is, as a type:
/// a repetition with no iterable variable would never end, and does not compile.
pub mod ext {
    use super::ToTokens;

    pub struct Iterable;
    pub struct NotIterable;

    impl std::ops::BitOr<Iterable> for NotIterable {
        type Output = Iterable;
        fn bitor(self, _: Iterable) -> Iterable {
            Iterable
        }
    }

    impl std::ops::BitOr<NotIterable> for NotIterable {
        type Output = NotIterable;
        fn bitor(self, _: NotIterable) -> NotIterable {
            NotIterable
        }
    }

    impl<T> std::ops::BitOr<T> for Iterable {
        type Output = Iterable;
        fn bitor(self, _: T) -> Iterable {
            Iterable
        }
    }

    pub trait RepIteratorExt: Iterator + Sized {
        fn quote_into_iter(self) -> (Self, Iterable) {
            (self, Iterable)
        }
    }

    impl<T: Iterator> RepIteratorExt for T {}

    pub trait RepToTokensExt {
        fn next(&self) -> Option<&Self> {
            Some(self)
        }

        fn quote_into_iter(&self) -> (&Self, NotIterable) {
            (self, NotIterable)
        }
    }

    impl<T: ToTokens + ?Sized> RepToTokensExt for T {}

    pub trait RepAsIteratorExt<'q> {
        type Iter: Iterator;

        fn quote_into_iter(&'q self) -> (Self::Iter, Iterable);
    }

    impl<'q, T: RepAsIteratorExt<'q> + ?Sized> RepAsIteratorExt<'q> for &T {
        type Iter = T::Iter;

        fn quote_into_iter(&'q self) -> (Self::Iter, Iterable) {
            <T as RepAsIteratorExt>::quote_into_iter(*self)
        }
    }

    macro_rules! slices {
        ($($ty:ty),*) => {
            $(
                impl<'q, T: 'q, const N: usize> RepAsIteratorExt<'q> for $ty {
                    type Iter = std::slice::Iter<'q, T>;

                    fn quote_into_iter(&'q self) -> (Self::Iter, Iterable) {
                        (self.iter(), Iterable)
                    }
                }
            )*
        };
    }

    slices!([T; N]);

    impl<'q, T: 'q> RepAsIteratorExt<'q> for [T] {
        type Iter = std::slice::Iter<'q, T>;

        fn quote_into_iter(&'q self) -> (Self::Iter, Iterable) {
            (self.iter(), Iterable)
        }
    }

    impl<'q, T: 'q> RepAsIteratorExt<'q> for Vec<T> {
        type Iter = std::slice::Iter<'q, T>;

        fn quote_into_iter(&'q self) -> (Self::Iter, Iterable) {
            (self.iter(), Iterable)
        }
    }

    impl<'q, T: 'q> RepAsIteratorExt<'q> for std::collections::BTreeSet<T> {
        type Iter = std::collections::btree_set::Iter<'q, T>;

        fn quote_into_iter(&'q self) -> (Self::Iter, Iterable) {
            (self.iter(), Iterable)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{quote, Ident, Literal, TokenStream};

    #[test]
    fn templates_interpolate_and_repeat_as_quote_does() {
        let names: Vec<Ident> = ["a", "b", "c"].into_iter().map(Ident::new).collect();
        let ty = quote!(Option<&'static str>);
        let values = [1i64, -2, 3].map(Literal::i64_unsuffixed);
        let defaults = values.iter();
        let tokens = quote! {
            #[derive(Debug)]
            pub struct S { #(pub #names: #ty),* }
            const D: [i64; 3] = [#(#defaults,)*];
            fn f() -> bool { #(#names == #values)&&* }
        };
        assert_eq!(
            crate::format::format_file(tokens),
            "#[derive(Debug)]\npub struct S {\n    pub a: Option<&'static str>,\n    \
             pub b: Option<&'static str>,\n    pub c: Option<&'static str>,\n}\n\n\
             const D: [i64; 3] = [1, -2, 3];\n\
             fn f() -> bool {\n    a == 1 && b == -2 && c == 3\n}\n"
        );
    }

    #[test]
    fn values_are_literals_as_quote_writes_them() {
        let text = "it's \"x\"\n";
        let n = 2u16;
        let none: [&str; 0] = [];
        let tokens = quote!(f(#text, #n, #(#[doc = #none])* 'a', true));
        assert_eq!(
            crate::format::format_file(quote!(fn g() { #tokens; })),
            "fn g() {\n    f(\"it's \\\"x\\\"\\n\", 2u16, 'a', true);\n}\n"
        );
        let empty: Vec<TokenStream> = Vec::new();
        assert!(quote!(#(#empty)*).is_empty());
    }

    #[test]
    fn interpolated_streams_are_shared_and_copied_on_write() {
        let mut part = quote!(a);
        let whole = quote!(fn f() { #part + #part; });
        // `whole` shares `part`'s tokens: changing `part` afterwards copies them first.
        part.extend([quote!(.b())]);
        let nested = quote!(fn g() { #part; #whole });
        assert_eq!(whole.to_string(), "fn f () { a + a ; }");
        assert_eq!(
            crate::format::format_file(nested),
            "fn g() {\n    a.b();\n    fn f() {\n        a + a;\n    }\n}\n"
        );
    }

    #[test]
    fn what_a_template_writes_the_same_each_time_is_shared_and_copied_on_write() {
        // Each call gives the template's constant parts: the whole stream when it interpolates
        // nothing; a group that interpolates nothing, and runs of words, otherwise.
        fn attribute() -> TokenStream {
            quote!(#[non_exhaustive])
        }
        fn item(name: &str) -> TokenStream {
            let name = Ident::new(name);
            quote!(pub struct #name(pub u8, pub u16);)
        }
        let mut first = attribute();
        first.extend([quote!(
            struct A;
        )]);
        let mut second = item("B");
        second.extend(item("C"));
        // Pushing onto what a template shares copies it first: the next call is unchanged.
        assert_eq!(attribute().to_string(), "# [non_exhaustive]");
        assert_eq!(first.to_string(), "# [non_exhaustive] struct A ;");
        assert_eq!(item("D").to_string(), "pub struct D (pub u8 , pub u16) ;");
        assert_eq!(
            crate::format::format_file(second),
            "pub struct B(pub u8, pub u16);\n\npub struct C(pub u8, pub u16);\n"
        );
    }
}
