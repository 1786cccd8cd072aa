//! `quote!` for the generator's own tokens (`generator::tokens`).
//!
//! The template is read once, when the generator compiles: each word, literal and punctuation
//! character of it becomes a token whose text is a `&'static str`. What is the same every
//! time is a constant, compiled into the generator and pushed as one tree that borrows it:
//! each run of words and punctuation between interpolations and groups, each group that
//! interpolates nothing (`[derive(Debug, Clone)]`, `(&self)`). A template that interpolates
//! nothing is built once per thread and shared (a reference count). So building tokens at run
//! time allocates for what is interpolated and for the streams of groups that interpolate
//! something, and nothing constant is dropped. The syntax is
//! `quote`'s: `#var` interpolates anything that is `ToTokens`, `#( .. )*` and `#( .. ) sep *`
//! repeat over every variable inside that is iterable (the others are written each time).

use proc_macro::{Delimiter, Spacing, TokenStream, TokenTree};
use std::fmt::Write;

/// Tokens of the template, as an expression of type `crate::tokens::TokenStream`.
#[proc_macro]
pub fn quote(input: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    // A template that interpolates nothing is built once per thread and shared whole.
    let shared = !tokens.is_empty() && is_static(&tokens);
    let mut out = String::new();
    let mut template = Template {
        out: &mut out,
        run: Vec::new(),
        pushes: 0,
    };
    let stream = template.stream(&tokens, 0);
    if shared {
        format!(
            "{{ ::std::thread_local! {{ static __SHARED: crate::tokens::TokenStream = {stream}; }} \
             __SHARED.with(::std::clone::Clone::clone) }}"
        )
    } else {
        stream
    }
    .parse()
    .expect("the expansion of a template lexes")
}

struct Template<'a> {
    out: &'a mut String,
    /// Words, literals and punctuation not written yet: a run of them is pushed as one tree
    /// of constants.
    run: Vec<String>,
    /// Trees pushed so far onto the stream being written (none counted for a repetition):
    /// the stream is made that large at once instead of growing push by push.
    pushes: usize,
}

impl Template<'_> {
    /// A block making the stream of nesting `depth` that holds `tokens`.
    fn stream(&mut self, tokens: &[TokenTree], depth: usize) -> String {
        let outer = std::mem::take(self.out);
        let outer_pushes = std::mem::replace(&mut self.pushes, 0);
        self.body(tokens, depth);
        self.flush(depth);
        let body = std::mem::replace(self.out, outer);
        let pushes = std::mem::replace(&mut self.pushes, outer_pushes);
        format!(
            "{{ let mut __s{depth} = crate::tokens::TokenStream::with_capacity({pushes}); {body}__s{depth} }}"
        )
    }

    /// Writes the pending run onto the stream of nesting `depth`.
    fn flush(&mut self, depth: usize) {
        match self.run.len() {
            0 => {}
            1 => {
                let _ = write!(self.out, "__s{depth}.push_tree({}); ", self.run[0]);
                self.pushes += 1;
            }
            // Two or more together are the same every time: constants, pushed as one tree.
            _ => {
                let _ = write!(
                    self.out,
                    "__s{depth}.push_tree(crate::tokens::TokenTree::Static(&[{}])); ",
                    self.run.join(", ")
                );
                self.pushes += 1;
            }
        }
        self.run.clear();
    }

    /// Code that pushes `tokens` onto the stream of nesting `depth`.
    fn body(&mut self, tokens: &[TokenTree], depth: usize) {
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Punct(p) if p.as_char() == '#' => match tokens.get(i + 1) {
                    Some(TokenTree::Ident(var)) => {
                        self.flush(depth);
                        let _ = write!(
                            self.out,
                            "crate::tokens::ToTokens::to_tokens(&{var}, &mut __s{depth}); "
                        );
                        self.pushes += 1;
                        i += 2;
                        continue;
                    }
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                        let star = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '*');
                        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                        if star(tokens.get(i + 2)) {
                            self.flush(depth);
                            self.repetition(&inner, &[], depth);
                            i += 3;
                            continue;
                        }
                        // A separator is the punctuation up to the `*` (`,`, `&&`).
                        let mut end = i + 2;
                        while end < i + 5
                            && matches!(tokens.get(end), Some(TokenTree::Punct(p)) if p.as_char() != '*')
                        {
                            end += 1;
                        }
                        if end > i + 2 && star(tokens.get(end)) {
                            self.flush(depth);
                            self.repetition(&inner, &tokens[i + 2..end], depth);
                            i = end + 1;
                            continue;
                        }
                        self.token(&tokens[i], depth);
                    }
                    _ => self.token(&tokens[i], depth),
                },
                t => self.token(t, depth),
            }
            i += 1;
        }
    }

    fn token(&mut self, token: &TokenTree, depth: usize) {
        match token {
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let Some(delimiter) = delimiter_name(g.delimiter()) else {
                    // An invisible group (from a `macro_rules!` fragment) is its tokens.
                    return self.body(&inner, depth);
                };
                self.flush(depth);
                // A group that interpolates nothing is the same every time: constants (its
                // trees are not allocated, filled or dropped at run time).
                let _ = if is_static(&inner) {
                    write!(
                        self.out,
                        "__s{depth}.push_tree(crate::tokens::TokenTree::StaticGroup(\
                         crate::tokens::Delimiter::{delimiter}, &[{}])); ",
                        static_trees(&inner)
                    )
                } else {
                    let stream = self.stream(&inner, depth + 1);
                    write!(
                        self.out,
                        "__s{depth}.group(crate::tokens::Delimiter::{delimiter}, {stream}); "
                    )
                };
                self.pushes += 1;
            }
            token => self.run.push(tree(token)),
        }
    }

    /// `#( .. )*` or `#( .. ) sep *`: the body once for each item of the iterable variables
    /// in it, in step, until the first runs out.
    fn repetition(&mut self, inner: &[TokenTree], sep: &[TokenTree], depth: usize) {
        let pushes = self.pushes;
        let mut vars = Vec::new();
        interpolated(inner, &mut vars);
        assert!(
            !vars.is_empty(),
            "a repetition in `quote!` interpolates nothing"
        );
        self.out
            .push_str("{ #[allow(unused_imports)] use crate::tokens::ext::*; ");
        // Each variable says whether it is iterable: one must be, or the loop would not end.
        self.out.push_str("let __iterable = NotIterable; ");
        for var in &vars {
            let _ = write!(
                self.out,
                "#[allow(unused_mut)] let (mut {var}, iterable) = {var}.quote_into_iter(); \
                 let __iterable = __iterable | iterable; "
            );
        }
        self.out.push_str("let _: Iterable = __iterable; ");
        if !sep.is_empty() {
            self.out.push_str("let mut __first = true; ");
        }
        self.out.push_str("loop { ");
        for var in &vars {
            let _ = write!(
                self.out,
                "let {var} = match {var}.next() {{ Some(item) => item, None => break }}; "
            );
        }
        if !sep.is_empty() {
            self.out.push_str("if !__first { ");
            // The separator's last character is alone, as `quote` writes it: the `,` of
            // `),*` touches the `*` in the template, not the next item.
            for (k, t) in sep.iter().enumerate() {
                match t {
                    TokenTree::Punct(p) if k + 1 == sep.len() => self.run.push(format!(
                        "crate::tokens::TokenTree::Punct({:?}, crate::tokens::Spacing::Alone)",
                        p.as_char()
                    )),
                    t => self.token(t, depth),
                }
            }
            self.flush(depth);
            self.out.push_str("} __first = false; ");
        }
        self.body(inner, depth);
        self.flush(depth);
        self.out.push_str("} } ");
        self.pushes = pushes;
    }
}

/// The variables `#name` in `tokens`, each once, in order.
fn interpolated(tokens: &[TokenTree], vars: &mut Vec<String>) {
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Ident(var)) = tokens.get(i + 1) {
                    let var = var.to_string();
                    if !vars.contains(&var) {
                        vars.push(var);
                    }
                }
            }
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                interpolated(&inner, vars);
            }
            _ => {}
        }
    }
}

/// Whether `tokens` interpolate nothing (no `#var`, no `#( .. )`), at any depth.
fn is_static(tokens: &[TokenTree]) -> bool {
    tokens
        .iter()
        .enumerate()
        .all(|(i, t)| match (t, tokens.get(i + 1)) {
            (TokenTree::Punct(p), Some(TokenTree::Ident(_))) if p.as_char() == '#' => false,
            (TokenTree::Punct(p), Some(TokenTree::Group(g)))
                if p.as_char() == '#' && g.delimiter() == Delimiter::Parenthesis =>
            {
                false
            }
            (TokenTree::Group(g), _) => is_static(&g.stream().into_iter().collect::<Vec<_>>()),
            _ => true,
        })
}

/// The trees of `tokens`, which interpolate nothing, as constant expressions separated by
/// commas.
fn static_trees(tokens: &[TokenTree]) -> String {
    let mut out = Vec::new();
    for token in tokens {
        let TokenTree::Group(g) = token else {
            out.push(tree(token));
            continue;
        };
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        let trees = static_trees(&inner);
        match delimiter_name(g.delimiter()) {
            Some(delimiter) => out.push(format!(
                "crate::tokens::TokenTree::StaticGroup(crate::tokens::Delimiter::{delimiter}, &[{trees}])"
            )),
            None if trees.is_empty() => {}
            None => out.push(trees),
        }
    }
    out.join(", ")
}

/// The delimiter's name in `crate::tokens` (`None` for an invisible group).
fn delimiter_name(delimiter: Delimiter) -> Option<&'static str> {
    match delimiter {
        Delimiter::Parenthesis => Some("Parenthesis"),
        Delimiter::Brace => Some("Brace"),
        Delimiter::Bracket => Some("Bracket"),
        Delimiter::None => None,
    }
}

/// A word, literal or punctuation character as a constant tree.
fn tree(token: &TokenTree) -> String {
    match token {
        TokenTree::Ident(ident) => format!(
            "crate::tokens::TokenTree::Ident(::std::borrow::Cow::Borrowed({:?}))",
            ident.to_string()
        ),
        TokenTree::Literal(lit) => format!(
            "crate::tokens::TokenTree::Literal(::std::borrow::Cow::Borrowed({:?}))",
            lit.to_string()
        ),
        TokenTree::Punct(p) => {
            let spacing = match p.spacing() {
                Spacing::Joint => "Joint",
                Spacing::Alone => "Alone",
            };
            format!(
                "crate::tokens::TokenTree::Punct({:?}, crate::tokens::Spacing::{spacing})",
                p.as_char()
            )
        }
        TokenTree::Group(_) => unreachable!("groups are written by their callers"),
    }
}
