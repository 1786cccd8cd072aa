//! Tokens as the printer sees them: words and operators, each with the role that decides the
//! spaces around it, and groups that know what kind of block they are and how wide they are on
//! one line. Built in one pass over the tokens, bottom-up, in an arena: the tokens are
//! borrowed, not consumed, and a file's tree is freed at once after it is printed.

use std::borrow::Cow;

use bumpalo::Bump;

use crate::tokens::{Delimiter, Spacing, TokenStream, TokenTree};

/// What a word or an operator is, as far as spacing goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Role {
    /// An identifier, literal or lifetime that can end a value (`x`, `1`, `self`, `'a`).
    Value,
    /// A keyword that starts or joins something (`fn`, `let`, `return`, `mut`, `as`).
    Keyword,
    /// `,` and `;`.
    Sep,
    /// `:`.
    Colon,
    /// `::`.
    Path,
    /// `.`, `..` and `..=`.
    Dot,
    /// Infix operators: `=`, `==`, `+`, `->`, `=>`, `&&`, `|` between patterns, ...
    Binary,
    /// Prefix `&`, `*`, `-`, `!`.
    Unary,
    /// `?` after a value.
    Try,
    /// `?` before a bound (`?Sized`).
    Maybe,
    /// The `!` of a macro call.
    MacroBang,
    /// The `#` of an attribute.
    Hash,
    /// The `!` of an inner attribute.
    AttrBang,
    GenericOpen,
    GenericClose,
    ClosureOpen,
    ClosureClose,
    /// `||`, a closure without parameters.
    EmptyClosure,
}

/// How a group is laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    /// `( .. )`: on one line if it fits, else one element a line.
    Paren,
    /// `[ .. ]`, likewise.
    Bracket,
    /// A block of statements: always one statement a line.
    Block,
    /// The items of an `impl`, `trait` or `mod`.
    Items,
    /// The fields of a `struct` or the variants of an `enum`: one a line.
    Fields,
    /// The arms of a `match`: one a line.
    Match,
    /// A struct literal or pattern (`Foo { a, b }`): on one line if it fits.
    StructLit,
    /// The braces of a `use` (`use a::{b, c}`): on one line if it fits.
    UseList,
}

impl Kind {
    /// Blocks always put their contents on lines of their own.
    pub(super) fn always_breaks(self) -> bool {
        matches!(self, Kind::Block | Kind::Items | Kind::Fields | Kind::Match)
    }
}

/// A node of the tree: it lives in the formatter's arena, and its text is borrowed from the
/// tokens (or the arena), so nodes are copied freely and nothing of the tree is dropped one
/// by one.
#[derive(Clone, Copy, Debug)]
pub(super) enum Node<'a> {
    Text {
        text: &'a str,
        role: Role,
    },
    Group(&'a Group<'a>),
    /// A `#[doc = ".."]` attribute, printed as a `///` or `//!` line.
    Doc(&'a Doc<'a>),
}

/// A doc attribute's text.
#[derive(Debug)]
pub(super) struct Doc<'a> {
    /// `#![doc]` rather than `#[doc]`.
    pub inner: bool,
    pub text: &'a str,
    /// The string literal as written, for the attribute form (`None`: the text was given as
    /// it is, and the literal is made from it when it is needed).
    pub literal: Option<&'a str>,
}

impl Doc<'_> {
    /// The string literal of the attribute form.
    pub(super) fn literal(&self) -> Cow<'_, str> {
        match self.literal {
            Some(literal) => Cow::Borrowed(literal),
            None => Cow::Owned(crate::tokens::string_repr(self.text)),
        }
    }
}

#[derive(Debug)]
pub(super) struct Group<'a> {
    pub kind: Kind,
    pub body: Seq<'a>,
    /// Right after a value: a call, a tuple struct or a function's parameters.
    pub call: bool,
    /// The arguments of a macro or an attribute: no trailing comma is added when they are
    /// broken.
    pub in_macro: bool,
    /// A function's parameters (`fn name(..)`), not a call.
    pub params: bool,
    /// Inside an attribute (`#[serde(..)]`).
    pub attr: bool,
    /// Width on one line, delimiters included (meaningless when `forced`).
    pub width: usize,
    /// Width up to the first line break it must have (all of it when there is none).
    pub head: usize,
    /// Holds a block somewhere, so it cannot be all on one line.
    pub forced: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Seq<'a> {
    pub nodes: &'a [Node<'a>],
    /// Whether a space goes before each node, when both are on one line.
    pub space: &'a [bool],
    pub width: usize,
    pub head: usize,
    pub forced: bool,
    /// Holds doc lines at its top level: as a list it must be broken.
    pub lines: bool,
    /// Bytes of its text, nested groups' included (without indentation and line breaks):
    /// what the printer's output is made room for.
    pub size: usize,
    /// Trailing commas in its groups, nested ones' included: on one line each may be left
    /// out, so its one-line width is at least `width` less these.
    pub commas: usize,
}

impl Seq<'_> {
    /// Ends with a comma (that one line may leave out).
    pub(super) fn ends_in_comma(&self) -> bool {
        self.nodes.last().is_some_and(|n| n.is_text(","))
    }
}

impl Node<'_> {
    pub(super) fn role(&self) -> Option<Role> {
        match self {
            Node::Text { role, .. } => Some(*role),
            _ => None,
        }
    }

    pub(super) fn is_text(&self, s: &str) -> bool {
        // The first bytes first: most texts asked about are one character long, and most
        // nodes differ there, without a call to compare the rest.
        matches!(self, Node::Text { text, .. }
            if text.len() == s.len() && text.as_bytes().first() == s.as_bytes().first() && *text == s)
    }

    pub(super) fn group(&self) -> Option<&Group<'_>> {
        match self {
            Node::Group(g) => Some(g),
            _ => None,
        }
    }

    /// Width on one line (a forced group: up to its first break).
    pub(super) fn head(&self) -> usize {
        match self {
            Node::Text { text, .. } => text.len(),
            Node::Group(g) => g.head,
            Node::Doc(_) => 0,
        }
    }

    fn width(&self) -> usize {
        match self {
            Node::Text { text, .. } => text.len(),
            Node::Group(g) => g.width,
            Node::Doc(_) => 0,
        }
    }

    fn forced(&self) -> bool {
        match self {
            Node::Text { .. } => false,
            Node::Group(g) => g.forced,
            Node::Doc(_) => true,
        }
    }

    /// Ends a value, so that what follows is a call, an index, or an infix operator.
    fn ends_value(&self) -> bool {
        match self {
            Node::Text { role, .. } => {
                matches!(role, Role::Value | Role::GenericClose | Role::Try)
            }
            Node::Group(_) => true,
            Node::Doc(_) => false,
        }
    }
}

/// The operator `run` (joint punctuation) starts with: the longest of Rust's operators of
/// more than one character, else its first character.
fn leading_operator(run: &str) -> &'static str {
    match run.as_bytes() {
        [b'<', b'<', b'=', ..] => "<<=",
        [b'>', b'>', b'=', ..] => ">>=",
        [b'.', b'.', b'=', ..] => "..=",
        [b'.', b'.', b'.', ..] => "...",
        [b':', b':', ..] => "::",
        [b'-', b'>', ..] => "->",
        [b'=', b'>', ..] => "=>",
        [b'=', b'=', ..] => "==",
        [b'!', b'=', ..] => "!=",
        [b'<', b'=', ..] => "<=",
        [b'>', b'=', ..] => ">=",
        [b'&', b'&', ..] => "&&",
        [b'|', b'|', ..] => "||",
        [b'+', b'=', ..] => "+=",
        [b'-', b'=', ..] => "-=",
        [b'*', b'=', ..] => "*=",
        [b'/', b'=', ..] => "/=",
        [b'%', b'=', ..] => "%=",
        [b'^', b'=', ..] => "^=",
        [b'&', b'=', ..] => "&=",
        [b'|', b'=', ..] => "|=",
        [b'<', b'<', ..] => "<<",
        [b'>', b'>', ..] => ">>",
        [b'.', b'.', ..] => "..",
        _ => punctuation(run.chars().next().expect("a run is never empty")),
    }
}

/// A punctuation character a token may be (`proc_macro2::Punct`), as text.
fn punctuation(c: char) -> &'static str {
    match c {
        '=' => "=",
        '<' => "<",
        '>' => ">",
        '!' => "!",
        '~' => "~",
        '+' => "+",
        '-' => "-",
        '*' => "*",
        '/' => "/",
        '%' => "%",
        '^' => "^",
        '&' => "&",
        '|' => "|",
        '@' => "@",
        '.' => ".",
        ',' => ",",
        ';' => ";",
        ':' => ":",
        '#' => "#",
        '$' => "$",
        '?' => "?",
        '\'' => "'",
        other => panic!("{other:?} is not a punctuation character"),
    }
}

/// Tokens before roles are given: words, operators, groups and doc attributes.
#[derive(Clone, Copy)]
enum Pre<'a> {
    Word(&'a str),
    Op(&'static str),
    Group(Delimiter, &'a [TokenTree]),
    Doc(&'a Doc<'a>),
}

/// Builds trees in an arena: groups, doc lines and each sequence's nodes are allocated in
/// `arena` and freed with it; the vectors here are scratch space that every sequence of a
/// file shares (a sequence's items sit above its parent's while it is built).
pub(super) struct Builder<'a> {
    arena: &'a Bump,
    pre: Vec<Pre<'a>>,
    nodes: Vec<Node<'a>>,
    /// The token slices around the one being read, while interpolated streams are opened.
    outer: Vec<std::slice::Iter<'a, TokenTree>>,
    /// A run of joint punctuation, as text.
    run: String,
}

impl<'a> Builder<'a> {
    pub(super) fn new(arena: &'a Bump) -> Builder<'a> {
        Builder {
            arena,
            pre: Vec::new(),
            nodes: Vec::new(),
            outer: Vec::new(),
            run: String::new(),
        }
    }

    /// The tree of a token stream.
    pub(super) fn seq(&mut self, tokens: &'a TokenStream) -> Seq<'a> {
        self.seq_in(tokens.trees(), false)
    }

    /// `attr`: the tokens are inside an attribute (`#[..]`).
    fn seq_in(&mut self, tokens: &'a [TokenTree], attr: bool) -> Seq<'a> {
        let pre = self.pre.len();
        self.combine(tokens);
        let seq = self.build(pre, attr);
        self.pre.truncate(pre);
        seq
    }

    /// Joint punctuation becomes operators, `'` and a name a lifetime, `#[doc = ".."]` a doc
    /// line.
    fn combine(&mut self, tokens: &'a [TokenTree]) {
        let mut trees = Trees {
            current: tokens.iter(),
            outer: std::mem::take(&mut self.outer),
        };
        let mut run = std::mem::take(&mut self.run);
        while let Some(token) = trees.next() {
            match token {
                TokenTree::Ident(word) | TokenTree::Literal(word) => self.pre.push(Pre::Word(word)),
                TokenTree::Group(delimiter, inner) => {
                    self.pre.push(Pre::Group(*delimiter, inner.trees()))
                }
                TokenTree::StaticGroup(delimiter, inner) => {
                    self.pre.push(Pre::Group(*delimiter, inner))
                }
                TokenTree::Stream(_) | TokenTree::Static(_) => {
                    unreachable!("`Trees` opens streams in place")
                }
                TokenTree::Doc { inner, text } => {
                    let doc = self.arena.alloc(Doc {
                        inner: *inner,
                        text,
                        literal: None,
                    });
                    self.pre.push(Pre::Doc(doc));
                }
                TokenTree::Punct('\'', _) => {
                    match trees.next_if(|t| matches!(t, TokenTree::Ident(_))) {
                        Some(TokenTree::Ident(name)) => {
                            let lifetime = self.arena.alloc_str(&format!("'{name}"));
                            self.pre.push(Pre::Word(lifetime));
                        }
                        _ => self.pre.push(Pre::Op("'")),
                    }
                }
                TokenTree::Punct('#', _) => {
                    let inner = trees
                        .next_if(|t| matches!(t, TokenTree::Punct('!', _)))
                        .is_some();
                    let doc = match trees.peek() {
                        Some(TokenTree::Group(Delimiter::Bracket, attr)) => doc_text(attr.trees()),
                        Some(TokenTree::StaticGroup(Delimiter::Bracket, attr)) => doc_text(attr),
                        _ => None,
                    };
                    if let Some((text, literal)) = doc {
                        trees.next();
                        let text = self.arena.alloc_str(&text);
                        let doc = self.arena.alloc(Doc {
                            inner,
                            text,
                            literal: Some(literal),
                        });
                        self.pre.push(Pre::Doc(doc));
                        continue;
                    }
                    self.pre.push(Pre::Op("#"));
                    if inner {
                        self.pre.push(Pre::Op("!"));
                    }
                }
                TokenTree::Punct(single, Spacing::Alone) => {
                    self.pre.push(Pre::Op(punctuation(*single)))
                }
                TokenTree::Punct(first, Spacing::Joint) => {
                    // A run of joint punctuation, up to a lifetime's `'` or an attribute's `#`.
                    run.clear();
                    run.push(*first);
                    let mut joint = true;
                    while joint {
                        match trees.next_if(
                            |t| matches!(t, TokenTree::Punct(next, _) if *next != '\'' && *next != '#'),
                        ) {
                            Some(TokenTree::Punct(next, spacing)) => {
                                run.push(*next);
                                joint = *spacing == Spacing::Joint;
                            }
                            _ => break,
                        }
                    }
                    let mut rest = run.as_str();
                    while !rest.is_empty() {
                        let op = leading_operator(rest);
                        self.pre.push(Pre::Op(op));
                        rest = &rest[op.len()..];
                    }
                }
            }
        }
        // The stack's and the run's room is kept for the next sequence.
        self.outer = trees.outer;
        self.outer.clear();
        self.run = run;
    }

    /// Roles, group kinds, spaces and widths of the sequence whose tokens are `pre[from..]`.
    fn build(&mut self, from: usize, attr: bool) -> Seq<'a> {
        let to = self.pre.len();
        let start = self.nodes.len();
        let mut generics = 0usize;
        let mut closure_params = false;
        // The kind the next `{` has, from a keyword before it (`fn`, `struct`, `match`, ...),
        // and from what must come right before it (`=>`, `else`, a closure's parameters).
        let mut sticky: Option<Kind> = None;
        let mut immediate: Option<Kind> = None;
        // The node before this one in the sequence.
        let mut prev: Option<Node<'a>> = None;
        for i in from..to {
            let p = self.pre[i];
            let prev_value = prev.as_ref().is_some_and(Node::ends_value);
            let mut next_immediate = None;
            let node = match p {
                Pre::Doc(doc) => Node::Doc(doc),
                Pre::Word(word) => {
                    // One decision on the word's bytes (not `str` patterns, which are compared
                    // one after the other): whether it is a keyword, and the kind of the `{`
                    // it announces.
                    let role = match word.as_bytes() {
                        b"fn" | b"if" | b"while" => {
                            sticky = Some(Kind::Block);
                            Role::Keyword
                        }
                        b"for" => {
                            // `impl Trait for Type {` stays a list of items.
                            if sticky != Some(Kind::Items) {
                                sticky = Some(Kind::Block);
                            }
                            Role::Keyword
                        }
                        b"struct" | b"enum" | b"union" => {
                            sticky = Some(Kind::Fields);
                            Role::Keyword
                        }
                        b"impl" | b"trait" | b"mod" | b"extern" => {
                            if sticky != Some(Kind::Block) {
                                sticky = Some(Kind::Items);
                            }
                            Role::Keyword
                        }
                        b"match" => {
                            sticky = Some(Kind::Match);
                            Role::Keyword
                        }
                        b"else" | b"unsafe" | b"async" | b"move" | b"loop" => {
                            next_immediate = Some(Kind::Block);
                            Role::Keyword
                        }
                        // The other keywords that never end a value (`self`, `Self`, `crate`,
                        // `super`, `true`, `false` and `await` do).
                        b"as" | b"break" | b"const" | b"continue" | b"dyn" | b"in" | b"let"
                        | b"mut" | b"pub" | b"ref" | b"return" | b"static" | b"type" | b"use"
                        | b"where" | b"yield" => Role::Keyword,
                        _ => Role::Value,
                    };
                    Node::Text { text: word, role }
                }
                Pre::Op(op) => {
                    let mut text = op;
                    let role = match op.as_bytes() {
                        b"," => Role::Sep,
                        b";" => {
                            sticky = None;
                            Role::Sep
                        }
                        b":" => Role::Colon,
                        b"::" => Role::Path,
                        b"." | b".." | b"..=" | b"..." => Role::Dot,
                        b"#" => Role::Hash,
                        b"!" if prev.is_some_and(|p| p.role() == Some(Role::Hash)) => {
                            Role::AttrBang
                        }
                        b"!" if prev.is_some_and(|p| p.role() == Some(Role::Value))
                            && matches!(self.pre[i + 1..to].first(), Some(Pre::Group(..))) =>
                        {
                            Role::MacroBang
                        }
                        b"&" | b"*" | b"-" | b"&&" | b"!" if !prev_value => Role::Unary,
                        b"?" if prev_value => Role::Try,
                        b"?" => Role::Maybe,
                        b"|" if closure_params => {
                            closure_params = false;
                            next_immediate = Some(Kind::Block);
                            Role::ClosureClose
                        }
                        b"|" if !prev_value => {
                            closure_params = true;
                            Role::ClosureOpen
                        }
                        b"||" if !prev_value => {
                            next_immediate = Some(Kind::Block);
                            Role::EmptyClosure
                        }
                        b"<" if opens_generics(&self.nodes[start..]) => {
                            generics += 1;
                            Role::GenericOpen
                        }
                        b">" if generics > 0 => {
                            generics -= 1;
                            Role::GenericClose
                        }
                        // Two generic arguments' ends: one `>` each.
                        b">>" if generics >= 2 => {
                            generics -= 2;
                            self.nodes.push(Node::Text {
                                text: ">",
                                role: Role::GenericClose,
                            });
                            text = ">";
                            Role::GenericClose
                        }
                        b"=>" => {
                            sticky = None;
                            next_immediate = Some(Kind::Block);
                            Role::Binary
                        }
                        _ => Role::Binary,
                    };
                    Node::Text { text, role }
                }
                Pre::Group(delimiter, stream) => {
                    // An attribute's brackets, and every group inside them.
                    let in_attr = attr
                        || delimiter == Delimiter::Bracket
                            && prev.is_some_and(|p| {
                                matches!(p.role(), Some(Role::Hash | Role::AttrBang))
                            });
                    let body = self.seq_in(stream, in_attr);
                    let (kind, call) = match delimiter {
                        Delimiter::Parenthesis => (Kind::Paren, prev_value),
                        Delimiter::Bracket => (Kind::Bracket, prev_value),
                        Delimiter::Brace => {
                            let kind = immediate.or(sticky).unwrap_or(match prev {
                                Some(p) if p.role() == Some(Role::Path) => Kind::UseList,
                                Some(p)
                                    if matches!(
                                        p.role(),
                                        Some(Role::Value | Role::GenericClose)
                                    ) =>
                                {
                                    Kind::StructLit
                                }
                                _ => Kind::Block,
                            });
                            sticky = None;
                            (kind, false)
                        }
                    };
                    // Broken argument lists of attributes take no trailing comma, as rustfmt
                    // writes them, but for `derive`'s.
                    let in_macro = prev.is_some_and(|p| p.role() == Some(Role::MacroBang))
                        || attr
                            && kind == Kind::Paren
                            && !prev.is_some_and(|p| p.is_text("derive"));
                    let nodes = &self.nodes[start..];
                    let params = call && nodes.len() >= 2 && nodes[nodes.len() - 2].is_text("fn");
                    let mut g = group(kind, body, call, in_macro, params);
                    g.attr = in_attr;
                    Node::Group(self.arena.alloc(g))
                }
            };
            immediate = next_immediate;
            self.nodes.push(node);
            prev = Some(node);
        }
        let nodes: &[Node] = self.arena.alloc_slice_copy(&self.nodes[start..]);
        self.nodes.truncate(start);
        finish(self.arena, nodes)
    }
}

/// The trees of a stream in order, interpolated streams opened in place (groups stay whole),
/// with a look at the next one.
struct Trees<'a> {
    current: std::slice::Iter<'a, TokenTree>,
    outer: Vec<std::slice::Iter<'a, TokenTree>>,
}

impl<'a> Trees<'a> {
    #[inline]
    fn peek(&mut self) -> Option<&'a TokenTree> {
        loop {
            match self.current.as_slice().first() {
                Some(TokenTree::Stream(_) | TokenTree::Static(_)) => self.open(),
                Some(tree) => return Some(tree),
                None => self.current = self.outer.pop()?,
            }
        }
    }

    /// Goes into the stream at the front, to come back after it.
    fn open(&mut self) {
        let inner = match self.current.next() {
            Some(TokenTree::Stream(inner)) => inner.trees(),
            Some(TokenTree::Static(inner)) => inner,
            _ => unreachable!("called at a stream"),
        };
        let rest = std::mem::replace(&mut self.current, inner.iter());
        self.outer.push(rest);
    }

    fn next_if(&mut self, f: impl FnOnce(&TokenTree) -> bool) -> Option<&'a TokenTree> {
        let tree = self.peek()?;
        if f(tree) {
            self.current.next();
            Some(tree)
        } else {
            None
        }
    }
}

impl<'a> Iterator for Trees<'a> {
    type Item = &'a TokenTree;

    #[inline]
    fn next(&mut self) -> Option<&'a TokenTree> {
        let tree = self.peek()?;
        self.current.next();
        Some(tree)
    }
}

/// The text of `doc = "text"` (unescaped) and its literal as written.
fn doc_text(attr: &[TokenTree]) -> Option<(String, &str)> {
    // `doc =` may be a run of constants of its own, written by the template.
    let mut trees = Trees {
        current: attr.iter(),
        outer: Vec::new(),
    };
    match (trees.next()?, trees.next()?, trees.next()?, trees.next()) {
        (TokenTree::Ident(name), TokenTree::Punct('=', _), TokenTree::Literal(lit), None)
            if name == "doc" =>
        {
            Some((unescape(lit)?, lit))
        }
        _ => None,
    }
}

/// The value of a string literal (`None` for byte or suffixed literals).
pub(super) fn unescape(literal: &str) -> Option<String> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let body = body.strip_suffix(&raw[..hashes])?.strip_suffix('"')?;
        return Some(body.to_owned());
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    // Text up to each escape is copied as it is.
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let mut chars = rest.chars();
        chars.next();
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
            }
            'u' => {
                let mut hex = String::new();
                if chars.next()? != '{' {
                    return None;
                }
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    hex.push(c);
                }
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            '\n' => {
                // A line continuation skips the next line's leading whitespace.
                chars = chars.as_str().trim_start().chars();
            }
            _ => return None,
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    Some(out)
}

/// Whether `<` after these nodes opens generic arguments rather than compares.
fn opens_generics(nodes: &[Node<'_>]) -> bool {
    let Some(prev) = nodes.last() else {
        return true;
    };
    match prev {
        Node::Text { text, role } => match role {
            Role::Path | Role::Keyword => true,
            Role::Value => {
                text.starts_with(|c: char| c.is_ascii_uppercase())
                    || nodes.len() >= 2 && nodes[nodes.len() - 2].is_text("fn")
            }
            Role::GenericClose | Role::Try => false,
            _ => true,
        },
        Node::Group(_) => false,
        Node::Doc(_) => true,
    }
}

fn space_between(prev: &Node, next: &Node) -> bool {
    let after = match prev {
        Node::Text { role, .. } => !matches!(
            role,
            Role::Path
                | Role::Dot
                | Role::Unary
                | Role::Maybe
                | Role::MacroBang
                | Role::Hash
                | Role::AttrBang
                | Role::GenericOpen
                | Role::ClosureOpen
        ),
        Node::Group(_) | Node::Doc(_) => true,
    };
    match next {
        Node::Text { role, .. } => match role {
            Role::Sep
            | Role::Colon
            | Role::Path
            | Role::Try
            | Role::MacroBang
            | Role::GenericClose
            | Role::ClosureClose
            | Role::AttrBang => false,
            // `Vec<`, `impl<`, `::<`, but `= <T as Trait>::f`.
            Role::GenericOpen => {
                after && matches!(prev.role(), Some(Role::Binary | Role::Sep | Role::Colon))
            }
            Role::Dot => after && !prev.ends_value(),
            _ => after,
        },
        Node::Group(g) => match g.kind {
            Kind::Paren | Kind::Bracket => match prev {
                Node::Text { text, role } => match role {
                    Role::Value | Role::GenericClose | Role::Try => false,
                    Role::Keyword => &**text != "pub",
                    _ => after,
                },
                Node::Group(_) => false,
                Node::Doc(_) => false,
            },
            _ => !matches!(
                prev.role(),
                Some(Role::Path | Role::GenericOpen | Role::Unary | Role::Hash)
            ),
        },
        Node::Doc(_) => true,
    }
}

fn group<'a>(kind: Kind, body: Seq<'a>, call: bool, in_macro: bool, params: bool) -> Group<'a> {
    let empty = body.nodes.is_empty();
    let (width, head, forced) = if kind.always_breaks() {
        if empty {
            (2, 2, false)
        } else {
            (usize::MAX / 4, 1, true)
        }
    } else {
        let pad = if kind == Kind::StructLit && !empty {
            2
        } else {
            0
        };
        let width = body.width.saturating_add(2 + 2 * pad);
        let head = if body.forced {
            1 + pad + body.head
        } else {
            width
        };
        (width, head, body.forced)
    };
    Group {
        kind,
        body,
        call,
        in_macro,
        params,
        attr: false,
        width,
        head,
        forced,
    }
}

/// The sequence of `nodes`: whether a space goes before each (from the one before it), its
/// widths and size, in one pass.
fn finish<'a>(arena: &'a Bump, nodes: &'a [Node<'a>]) -> Seq<'a> {
    let mut seq = Seq {
        nodes,
        ..Seq::default()
    };
    let mut width = 0usize;
    let mut head = None;
    let mut size = 0usize;
    let mut commas = 0usize;
    seq.space = arena.alloc_slice_fill_with(nodes.len(), |k| {
        let node = &nodes[k];
        let space = k > 0 && space_between(&nodes[k - 1], node);
        if let Node::Group(g) = node {
            commas += g.body.commas + usize::from(g.body.ends_in_comma());
        }
        let gap = usize::from(space);
        size += gap
            + match node {
                Node::Text { text, .. } => text.len(),
                Node::Group(g) => g.body.size + 2,
                Node::Doc(doc) => doc.text.len() + 4,
            };
        if head.is_none() && node.forced() {
            head = Some(width + gap + node.head());
            seq.forced = true;
        }
        width = width.saturating_add(gap + node.width());
        if matches!(node, Node::Doc(_)) {
            seq.lines = true;
        }
        space
    });
    seq.width = width;
    seq.head = head.unwrap_or(width);
    seq.size = size;
    seq.commas = commas;
    seq
}

#[cfg(test)]
mod tests {
    use super::{leading_operator, punctuation};

    /// Rust's operators of more than one character, longest first.
    const OPERATORS: &[&str] = &[
        "<<=", ">>=", "..=", "...", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=",
        "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "..",
    ];
    const PUNCTUATION: &str = "=<>!~+-*/%^&|@.,;:#$?'";

    /// The first operator of the list that `run` starts with, else its first character.
    fn by_the_list(run: &str) -> &str {
        OPERATORS
            .iter()
            .copied()
            .find(|op| run.starts_with(op))
            .unwrap_or(&run[..1])
    }

    #[test]
    fn runs_of_punctuation_split_into_the_longest_operators() {
        // Every run of up to three characters (and the same with a fourth after it).
        let chars: Vec<char> = PUNCTUATION.chars().collect();
        for &a in &chars {
            assert_eq!(punctuation(a), a.to_string());
            for &b in &chars {
                for &c in &chars {
                    let run: String = [a, b, c, 'x'].iter().collect();
                    for len in 1..=4 {
                        let run = &run[..len];
                        assert_eq!(leading_operator(run), by_the_list(run), "{run:?}");
                    }
                }
            }
        }
    }
}
