//! The structure of a schema as text: what [`super::sharing`] compares to tell which inline
//! schemas are alike.
//!
//! The schema is written by its own `Serialize` (so no keyword can be missed) straight into
//! the text, leaving out the keywords that only document it (`description`, `example`, ...)
//! in the schema and in every schema inside it, and `nullable` at its top (whether a value
//! may be null is the place's business). Making a `serde_json::Value` of the schema first and
//! taking the keywords out of it cost several times as much: every string of the schema
//! copied, every key hashed.
//!
//! The text is not JSON, only a faithful writing of it: strings quoted with `"` and `\`
//! escaped, numbers as integers or as the bits of a float, `n` for null, so that two schemas
//! have the same text exactly when their JSON without the documentation is the same.

use std::fmt::Write;

use openapiv3::Schema;
use serde::ser::{self, Serialize};

/// Keywords that document a schema and never change its type (also as `x-oas31-...`).
const DOC_KEYWORDS: &[&str] = &[
    "description",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "$comment",
    "x-enum-descriptions",
    "x-example",
    "x-examples",
];

/// The structure of `schema`; `None` if its serialization is one this writer does not take
/// (a map key that is not a string).
///
/// Keys are in the order the schema writes them, which decides as much as their content:
/// the same schema with `nullable: true` at the top has its last key first (see
/// [`Map::close`]). That is how it has been since sharing was written (on a JSON object that
/// lost `nullable` to `swap_remove`); it keeps a nullable structure apart from the same one
/// not nullable, which the comment on `nullable` says should not be, and changing it would
/// rename types in generated crates: a change of its own.
pub(super) fn structure(schema: &Schema) -> Option<String> {
    let mut out = String::with_capacity(256);
    schema
        .serialize(Writer {
            out: &mut out,
            place: Place::Top,
        })
        .ok()?;
    Some(out)
}

/// What the value of a schema's keyword is.
pub(super) enum KeywordValue {
    /// Schemas by name (`properties`): the keys are names, not keywords.
    Schemas,
    /// A schema, or a list of them (`items`, `allOf`).
    Schema,
    /// Anything else.
    Data,
}

/// What the value of `key` in a schema is (3.1 keywords also as `x-oas31-...`); `None` for
/// a keyword that only documents the schema.
pub(super) fn keyword_value(key: &str) -> Option<KeywordValue> {
    let keyword = key.strip_prefix("x-oas31-").unwrap_or(key);
    if DOC_KEYWORDS.contains(&keyword) {
        return None;
    }
    Some(match keyword {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            KeywordValue::Schemas
        }
        "items"
        | "additionalProperties"
        | "not"
        | "contains"
        | "if"
        | "then"
        | "else"
        | "propertyNames"
        | "unevaluatedProperties"
        | "unevaluatedItems"
        | "additionalItems"
        | "allOf"
        | "oneOf"
        | "anyOf"
        | "prefixItems" => KeywordValue::Schema,
        _ => KeywordValue::Data,
    })
}

/// What the value being written is, for what is left out of it.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// The schema itself: documentation and `nullable` left out.
    Top,
    /// A schema inside it (or a list of them): documentation left out.
    Schema,
    /// A map of schemas by name (`properties`).
    Schemas,
    /// Anything else (`enum` values, `default`, extensions): written whole.
    Data,
}

impl Place {
    /// The place of the value under `key` of a map at this place; `None` when it is left out.
    fn child(self, key: &str) -> Option<Place> {
        match self {
            Place::Schemas => Some(Place::Schema),
            Place::Data => Some(Place::Data),
            Place::Top | Place::Schema => {
                if self == Place::Top && key == "nullable" {
                    return None;
                }
                Some(match keyword_value(key)? {
                    KeywordValue::Schemas => Place::Schemas,
                    KeywordValue::Schema => Place::Schema,
                    KeywordValue::Data => Place::Data,
                })
            }
        }
    }

    /// The place of the elements of a list at this place.
    fn element(self) -> Place {
        match self {
            // A list of schemas (`allOf`) is schemas; a list where a map of them stands is not.
            Place::Top | Place::Schema => Place::Schema,
            Place::Schemas | Place::Data => Place::Data,
        }
    }
}

#[derive(Debug)]
struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map key that is not a string")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

struct Writer<'a> {
    out: &'a mut String,
    place: Place,
}

impl Writer<'_> {
    /// A string, quoted, with `"` and `\` escaped.
    fn string(&mut self, text: &str) {
        self.out.push('"');
        let mut run = 0;
        for (at, byte) in text.bytes().enumerate() {
            if byte == b'"' || byte == b'\\' {
                self.out.push_str(&text[run..at]);
                self.out.push('\\');
                // The character itself starts the next run.
                run = at;
            }
        }
        self.out.push_str(&text[run..]);
        self.out.push('"');
    }

    fn integer(self, n: impl itoa::Integer) -> Result<(), Unsupported> {
        self.out.push('i');
        self.out.push_str(itoa::Buffer::new().format(n));
        Ok(())
    }

    /// A float as JSON holds it: a number if finite (its exact bits), else `null`.
    fn float(self, n: f64) -> Result<(), Unsupported> {
        if n.is_finite() {
            let _ = write!(self.out, "f{:x}", n.to_bits());
        } else {
            self.out.push('n');
        }
        Ok(())
    }

    /// `{"variant":` before the content of an enum variant written as JSON writes it.
    fn variant(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }
}

/// Serializer methods that write an integer.
macro_rules! integers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Unsupported> {
            self.integer(v)
        }
    )*};
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Map<'a>;
    type SerializeStructVariant = Map<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out.push(if v { 't' } else { 'f' });
        Ok(())
    }
    integers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        self.float(v)
    }
    fn serialize_char(mut self, v: char) -> Result<(), Unsupported> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Unsupported> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unsupported> {
        // JSON writes bytes as a list of numbers.
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.push('n');
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.variant(variant);
        value.serialize(Writer {
            out: &mut *self.out,
            place: Place::Data,
        })?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Unsupported> {
        self.out.push('[');
        Ok(Seq {
            place: self.place.element(),
            out: self.out,
            first: true,
            close: "]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, Unsupported> {
        self.variant(variant);
        self.out.push('[');
        Ok(Seq {
            place: Place::Data,
            out: self.out,
            first: true,
            close: "]}",
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, Unsupported> {
        self.out.push('{');
        Ok(Map {
            place: self.place,
            out: self.out,
            first: true,
            value: None,
            close: "}",
            starts: Vec::new(),
            nullable_at: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<'a>, Unsupported> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Map<'a>, Unsupported> {
        self.variant(variant);
        self.out.push('{');
        Ok(Map {
            place: Place::Data,
            out: self.out,
            first: true,
            value: None,
            close: "}}",
            starts: Vec::new(),
            nullable_at: None,
        })
    }
}

struct Seq<'a> {
    out: &'a mut String,
    /// The place of the elements.
    place: Place,
    first: bool,
    close: &'static str,
}

impl Seq<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        value.serialize(Writer {
            out: &mut *self.out,
            place: self.place,
        })
    }

    fn close(self) -> Result<(), Unsupported> {
        self.out.push_str(self.close);
        Ok(())
    }
}

/// The traits serde writes lists and tuples through, all one list here.
macro_rules! list_of_elements {
    ($($serialize:ident :: $method:ident),*) => {$(
        impl ser::$serialize for Seq<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
                self.element(value)
            }
            fn end(self) -> Result<(), Unsupported> {
                self.close()
            }
        }
    )*};
}

list_of_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

struct Map<'a> {
    out: &'a mut String,
    /// The place of the map itself.
    place: Place,
    first: bool,
    /// The place of the value of the key just written; `None` while no key is, or when the
    /// entry is left out.
    value: Option<Place>,
    close: &'static str,
    /// At the top: where each entry written starts, and how many were written before
    /// `nullable`, if it was there.
    starts: Vec<usize>,
    nullable_at: Option<usize>,
}

impl Map<'_> {
    fn key(&mut self, key: &str) {
        if self.place == Place::Top && key == "nullable" {
            self.nullable_at = Some(self.starts.len());
        }
        self.value = self.place.child(key);
        if self.value.is_none() {
            return;
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        if self.place == Place::Top {
            self.starts.push(self.out.len());
        }
        Writer {
            out: &mut *self.out,
            place: Place::Data,
        }
        .string(key);
        self.out.push(':');
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        match self.value.take() {
            Some(place) => value.serialize(Writer {
                out: &mut *self.out,
                place,
            }),
            None => Ok(()),
        }
    }

    fn close(self) -> Result<(), Unsupported> {
        // The structure has always been taken from a JSON object whose `nullable` was
        // removed by `swap_remove`, which moves the last entry into its place: kept so, as
        // the order decides which schemas are alike (see [`structure`]).
        if let Some(at) = self.nullable_at.filter(|&at| at + 1 < self.starts.len()) {
            let last = self.starts[self.starts.len() - 1];
            let moved = self.out[last..].to_owned();
            let from = self.starts[at];
            // `..., e(at), ..., e(n-2), e(n-1)` becomes `..., e(n-1), e(at), ..., e(n-2)`.
            let rest = self.out[from..last - 1].to_owned();
            self.out.truncate(from);
            self.out.push_str(&moved);
            self.out.push(',');
            self.out.push_str(&rest);
        }
        self.out.push_str(self.close);
        Ok(())
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Unsupported> {
        match key.serialize(serde_json::value::Serializer) {
            Ok(serde_json::Value::String(key)) => {
                self.key(&key);
                Ok(())
            }
            _ => Err(Unsupported),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.value(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

/// The traits serde writes structs through, both maps here.
macro_rules! map_of_fields {
    ($($serialize:ident),*) => {$(
        impl ser::$serialize for Map<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Unsupported> {
                self.key(key);
                self.value(value)
            }
            fn end(self) -> Result<(), Unsupported> {
                self.close()
            }
        }
    )*};
}

map_of_fields!(SerializeStruct, SerializeStructVariant);
