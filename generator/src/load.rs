//! Step 1: read a YAML or JSON document into a JSON value.
//!
//! JSON goes through `serde_json`; YAML through `saphyr-parser`, a maintained YAML 1.2 parser,
//! whose events are built into a JSON value here. Scalars resolve by the YAML 1.2 core schema
//! (`yes` stays a string), integers too large for 64 bits become floats (as JSON parsers read
//! them), anchors and aliases are expanded, and `<<` merge keys, which YAML 1.1 documents use
//! and tools accept, are merged.
//!
//! [`line_of`] finds the line a JSON pointer starts on, for messages about a file: it parses
//! again, so the common path pays nothing for positions.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};
use serde_json::{Map, Number, Value};

use crate::diagnostics::Diagnostics;

/// Aliases may multiply a document; this bounds what they can expand to (nodes).
const MAX_ALIAS_NODES: usize = 10_000_000;

/// Deeper nesting is refused, as JSON parsers refuse it: later steps walk the document
/// recursively.
const MAX_DEPTH: usize = 128;

/// Parses `text` as JSON when it looks like JSON, as YAML otherwise.
pub fn parse_document(text: &str) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::default();
    if text.trim_start().starts_with('{') {
        match serde_json::from_str(text) {
            Ok(value) => return Ok(value),
            Err(e) => {
                diags.error(
                    "#",
                    format!(
                        "not valid JSON (line {}, column {}): {e}",
                        e.line(),
                        e.column()
                    ),
                );
                return Err(diags);
            }
        }
    }
    match parse_yaml(text) {
        Ok(value) => Ok(value),
        Err(YamlError {
            message,
            line,
            column,
            pointer,
        }) => {
            let place = match line {
                Some(line) => format!(" (line {line}, column {column})"),
                None => String::new(),
            };
            diags.error(pointer, format!("not valid YAML{place}: {message}"));
            Err(diags)
        }
    }
}

struct YamlError {
    message: String,
    /// 1-based line and column.
    line: Option<usize>,
    column: usize,
    pointer: String,
}

impl YamlError {
    fn at(span: &Span, pointer: &str, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            line: Some(span.start.line()),
            column: span.start.col() + 1,
            pointer: pointer.to_owned(),
        }
    }

    fn scan(e: ScanError) -> Self {
        Self {
            message: e.info().to_owned(),
            line: Some(e.marker().line()),
            column: e.marker().col() + 1,
            pointer: "#".to_owned(),
        }
    }
}

/// A node being built: a sequence, or a mapping waiting for its next key.
enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        anchor: usize,
        merges: Vec<Value>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    /// Pointer segments of the node being built, for messages.
    path: Vec<String>,
    anchors: HashMap<usize, Value>,
    alias_nodes: usize,
    root: Option<Value>,
}

fn parse_yaml(text: &str) -> Result<Value, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        stack: Vec::new(),
        path: Vec::new(),
        anchors: HashMap::default(),
        alias_nodes: 0,
        root: None,
    };
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(YamlError::scan)?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::at(
                        &span,
                        "#",
                        "the file holds more than one YAML document",
                    ));
                }
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::Alias(id) => {
                let Some(value) = b.anchors.get(&id).cloned() else {
                    return Err(YamlError::at(
                        &span,
                        &b.pointer(),
                        "an alias names an anchor not defined before it",
                    ));
                };
                if b.stack.len() + depth_of(&value) > MAX_DEPTH {
                    return Err(YamlError::at(
                        &span,
                        &b.pointer(),
                        format!("an alias makes the document nest deeper than {MAX_DEPTH} levels"),
                    ));
                }
                b.alias_nodes += count_nodes(&value);
                if b.alias_nodes > MAX_ALIAS_NODES {
                    return Err(YamlError::at(
                        &span,
                        &b.pointer(),
                        "aliases expand to more than 10 million nodes",
                    ));
                }
                b.add(value, 0, &span, true)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| t.suffix.clone());
                let value = if b.expects_key() {
                    Value::String(text.into_owned())
                } else {
                    scalar(text, style, tag.as_deref())
                        .map_err(|m| YamlError::at(&span, &b.pointer(), m))?
                };
                b.add(value, anchor, &span, false)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.open(&span)?;
                b.stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                });
            }
            Event::MappingStart(anchor, _) => {
                b.open(&span)?;
                b.stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                    anchor,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq { items, anchor }) = b.stack.pop() else {
                    unreachable!("parser events nest")
                };
                b.close(Value::Array(items), anchor, &span)?;
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    mut map,
                    anchor,
                    merges,
                    ..
                }) = b.stack.pop()
                else {
                    unreachable!("parser events nest")
                };
                // Keys written in the mapping win over merged ones; earlier merges over later.
                for merged in merges {
                    if let Value::Object(entries) = merged {
                        for (k, v) in entries {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
                b.close(Value::Object(map), anchor, &span)?;
            }
        }
    }
    Ok(b.root.unwrap_or(Value::Null))
}

impl Builder {
    fn pointer(&self) -> String {
        let mut out = String::from("#");
        for segment in &self.path {
            out = crate::diagnostics::pointer(&out, segment);
        }
        out
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// A collection starts: a mapping key must be a scalar.
    fn open(&mut self, span: &Span) -> Result<(), YamlError> {
        if self.expects_key() {
            return Err(YamlError::at(
                span,
                &self.pointer(),
                "a mapping key must be a scalar",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError::at(
                span,
                &self.pointer(),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.enter();
        Ok(())
    }

    /// The path segment of the value about to start.
    fn enter(&mut self) {
        match self.stack.last() {
            Some(Frame::Seq { items, .. }) => self.path.push(items.len().to_string()),
            Some(Frame::Map { key: Some(k), .. }) => self.path.push(k.clone()),
            _ => {}
        }
    }

    fn close(&mut self, value: Value, anchor: usize, span: &Span) -> Result<(), YamlError> {
        if !self.stack.is_empty() {
            self.path.pop();
        }
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        self.place(value, span)
    }

    /// A scalar or alias: a key, or a whole value.
    fn add(
        &mut self,
        value: Value,
        anchor: usize,
        span: &Span,
        alias: bool,
    ) -> Result<(), YamlError> {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        if self.expects_key() {
            let key = match value {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                _ if alias => {
                    return Err(YamlError::at(
                        span,
                        &self.pointer(),
                        "a mapping key must be a scalar",
                    ))
                }
                _ => unreachable!("scalars only"),
            };
            if let Some(Frame::Map { map, key: slot, .. }) = self.stack.last_mut() {
                if key != "<<" && map.contains_key(&key) {
                    let at = crate::diagnostics::pointer(&self.pointer(), &key);
                    return Err(YamlError::at(span, &at, format!("duplicate key `{key}`")));
                }
                *slot = Some(key);
            }
            return Ok(());
        }
        self.place(value, span)
    }

    fn place(&mut self, value: Value, span: &Span) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                map, key, merges, ..
            }) => {
                let k = key.take().expect("a value follows its key");
                if k == "<<" {
                    match value {
                        Value::Object(_) => merges.push(value),
                        Value::Array(list) if list.iter().all(Value::is_object) => {
                            merges.extend(list)
                        }
                        _ => {
                            let at = self.pointer();
                            return Err(YamlError::at(
                                span,
                                &at,
                                "a `<<` merge key needs a mapping or a list of mappings",
                            ));
                        }
                    }
                } else {
                    map.insert(k, value);
                }
            }
        }
        Ok(())
    }
}

fn depth_of(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth_of).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth_of).max().unwrap_or(0),
        _ => 0,
    }
}

/// The nodes of a value (objects, arrays and scalars).
pub fn count_nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar's value by the YAML 1.2 core schema: only plain scalars are resolved; quoted and
/// block scalars are strings. A core-schema tag (`!!str`, `!!int`) decides the type.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&str>) -> Result<Value, String> {
    match tag {
        Some("str") => return Ok(Value::String(text.into_owned())),
        Some("null") => return Ok(Value::Null),
        Some("bool") => {
            return match resolve_plain(&text) {
                v @ Value::Bool(_) => Ok(v),
                _ => Err(format!("`{text}` is not a boolean")),
            }
        }
        Some("int" | "float") => {
            return match resolve_plain(&text) {
                v @ Value::Number(_) => Ok(v),
                _ => Err(format!("`{text}` is not a number")),
            }
        }
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.into_owned()));
    }
    match resolve_plain(&text) {
        Value::Null if is_special_float(&text) => {
            Err(format!("the number {text} cannot be represented in JSON"))
        }
        v => Ok(v),
    }
}

fn is_special_float(text: &str) -> bool {
    matches!(
        text.trim_start_matches(['-', '+']),
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    )
}

fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if is_special_float(text) {
        return Value::Null;
    }
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = text.strip_prefix("0x") {
        if digits(hex, 16) {
            if let Ok(n) = u64::from_str_radix(hex, 16) {
                return Value::Number(n.into());
            }
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if digits(oct, 8) {
            if let Ok(n) = u64::from_str_radix(oct, 8) {
                return Value::Number(n.into());
            }
        }
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned, 10) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = text.trim_start_matches('+').parse::<u64>() {
            return Value::Number(u.into());
        }
        // Beyond 64 bits: a float, as JSON parsers read such numbers.
        if let Some(f) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(f);
        }
    }
    if is_core_float(unsigned) {
        if let Some(f) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(f);
        }
    }
    Value::String(text.to_owned())
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// The line (1-based) on which the node at `pointer` (`#/a/b`) starts in `text`, a YAML or
/// JSON file; `None` when the text does not parse or has no such node.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let target: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(crate::pointer::unescape)
        .collect();
    if target.is_empty() {
        return Some(1);
    }
    // The path of the node being read: (segments, for each open collection its next index or
    // whether a key is expected).
    enum Open {
        Seq(usize),
        Map(Option<String>),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let starts_value = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        if starts_value {
            match stack.last_mut() {
                Some(Open::Map(key @ None)) => {
                    if let Event::Scalar(k, ..) = &event {
                        *key = Some(k.to_string());
                        // A key's line is the line of its node.
                        path.push(k.to_string());
                        if path == target {
                            return Some(span.start.line());
                        }
                        path.pop();
                    }
                    continue;
                }
                Some(Open::Map(key @ Some(_))) => path.push(key.take().unwrap_or_default()),
                Some(Open::Seq(i)) => {
                    path.push(i.to_string());
                    *i += 1;
                }
                None => {}
            }
            if path == target {
                return Some(span.start.line());
            }
        }
        match event {
            Event::SequenceStart(..) => stack.push(Open::Seq(0)),
            Event::MappingStart(..) => stack.push(Open::Map(None)),
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                if !stack.is_empty() {
                    path.pop();
                }
            }
            Event::Scalar(..) | Event::Alias(_) if !stack.is_empty() => {
                path.pop();
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn yaml(text: &str) -> Value {
        parse_document(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn scalars_resolve_by_the_yaml_1_2_core_schema() {
        let v = yaml("a: yes\nb: true\nc: ~\nd: 012\ne: 0x1F\nf: 1.5e3\ng: '1'\nh: .5\ni: 2.\nj: -3\nk: 0o17\nl: 1_000\n200: ok\n");
        assert_eq!(
            v,
            json!({"a": "yes", "b": true, "c": null, "d": 12, "e": 31, "f": 1500.0, "g": "1", "h": 0.5, "i": 2.0, "j": -3, "k": 15, "l": "1_000", "200": "ok"})
        );
    }

    #[test]
    fn integers_beyond_64_bits_are_floats() {
        let v = yaml("maximum: 18446744073709552000\nminimum: -99999999999999999999\nu: 18446744073709551615\n");
        assert_eq!(v["maximum"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(v["minimum"].as_f64(), Some(-99999999999999999999.0));
        assert_eq!(v["u"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        let v = yaml("base: &b { x: 1, y: 2 }\nother:\n  <<: *b\n  y: 3\nlist: [*b]\n");
        assert_eq!(v["other"], json!({"y": 3, "x": 1}));
        assert_eq!(v["list"], json!([{"x": 1, "y": 2}]));
    }

    #[test]
    fn errors_name_line_column_and_place() {
        let e = parse_document("a:\n  b: 1\n  b: 2\n").unwrap_err();
        let d = e.errors().next().unwrap();
        assert_eq!(d.pointer, "#/a/b");
        assert!(
            d.message.contains("line 3, column 3") && d.message.contains("duplicate key `b`"),
            "{d}"
        );
        let e = parse_document("a: [unclosed").unwrap_err();
        assert!(
            e.errors()
                .next()
                .unwrap()
                .message
                .starts_with("not valid YAML (line "),
            "{e}"
        );
        let e = parse_document("a: .inf").unwrap_err();
        assert!(
            e.errors()
                .next()
                .unwrap()
                .message
                .contains("cannot be represented in JSON"),
            "{e}"
        );
    }

    #[test]
    fn lines_of_pointers() {
        let text = "a:\n  b:\n    - x\n    - y: 1\n      z: 2\nc: 3\n";
        assert_eq!(line_of(text, "#/a"), Some(1));
        assert_eq!(line_of(text, "#/a/b"), Some(2));
        assert_eq!(line_of(text, "#/a/b/1"), Some(4));
        assert_eq!(line_of(text, "#/a/b/1/z"), Some(5));
        assert_eq!(line_of(text, "#/c"), Some(6));
        assert_eq!(line_of(text, "#/nope"), None);
        let json = "{\n  \"a\": {\n    \"b/c\": [1,\n 2]\n  }\n}";
        assert_eq!(line_of(json, "#/a/b~1c"), Some(3));
    }
}
