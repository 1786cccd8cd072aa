use std::borrow::Cow;
use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::error::InvalidRequest;

/// Everything but RFC 3986 unreserved characters is percent-encoded in values and path
/// segments, so no value can end a parameter (`&`), start a value (`=`), open a fragment (`#`)
/// or change the path (`/`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Parameter names keep their brackets as they are (`page[number]`), as the WHATWG URL
/// standard and browsers do: that is how APIs document them, and some servers and tools
/// match names only in that form. Everything else is encoded as in values.
const NAME: &AsciiSet = &COMPONENT.remove(b'[').remove(b']');

/// A value that can be sent in a path segment, a query string or a header.
pub trait ParamValue {
    /// The value as it is sent, before percent-encoding.
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Box<T> {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}

display_param!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> Cow<'_, str> {
        match self {
            serde_json::Value::String(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_string()),
        }
    }
}

/// A query string under construction, already percent-encoded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    encoded: String,
}

impl Query {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A query string that is already encoded, such as the one of a link the API gave.
    pub(crate) fn from_encoded(encoded: &str) -> Self {
        Self {
            encoded: encoded.to_owned(),
        }
    }

    fn pair(&mut self, name: &str, value: &str) {
        self.start(name);
        self.push_encoded(value);
    }

    /// `&name=`, with the name encoded.
    fn start(&mut self, name: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        // Writing to a String cannot fail.
        let _ = write!(self.encoded, "{}=", utf8_percent_encode(name, NAME));
    }

    fn push_encoded(&mut self, raw: &str) {
        let _ = write!(self.encoded, "{}", utf8_percent_encode(raw, COMPONENT));
    }

    /// `name=value`, or nothing when the value is absent.
    pub(crate) fn push<V: ParamValue>(&mut self, name: &str, value: Option<&V>) {
        if let Some(value) = value {
            self.pair(name, &value.to_param());
        }
    }

    /// `name=a&name=b`: an array in `form` style with `explode: true`.
    pub(crate) fn push_exploded<V: ParamValue>(&mut self, name: &str, values: Option<&[V]>) {
        for value in values.unwrap_or_default() {
            self.pair(name, &value.to_param());
        }
    }

    /// `name=a,b`: an array with `explode: false`, items joined by `delimiter` (`,` for
    /// `form`, `|` for `pipeDelimited`, ` ` for `spaceDelimited`). Each item is
    /// percent-encoded on its own, so a delimiter inside an item cannot split it.
    pub(crate) fn push_delimited<V: ParamValue>(
        &mut self,
        name: &str,
        values: Option<&[V]>,
        delimiter: char,
    ) {
        let Some(values) = values else { return };
        self.start(name);
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                match delimiter {
                    ',' => self.encoded.push(','),
                    other => self.push_encoded(other.encode_utf8(&mut [0; 4])),
                }
            }
            self.push_encoded(&value.to_param());
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.encoded
    }
}

/// One path segment, percent-encoded so that it stays one segment: `a/b` becomes `a%2Fb`.
/// Values that would still change the path (empty, `.`, `..`) are refused.
pub(crate) fn path_segment<V: ParamValue + ?Sized>(
    name: &str,
    value: &V,
) -> Result<String, InvalidRequest> {
    let raw = value.to_param();
    match raw.as_ref() {
        "" => Err(InvalidRequest::new(format!(
            "path parameter `{name}` is empty"
        ))),
        "." | ".." => Err(InvalidRequest::new(format!(
            "path parameter `{name}` is `{raw}`, which would change the path"
        ))),
        _ => Ok(utf8_percent_encode(&raw, COMPONENT).to_string()),
    }
}
