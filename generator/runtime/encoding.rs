use std::borrow::Cow;
use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

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

/// How a query parameter whose shape is known only at run time (a union of a string and an
/// array, say) is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `form` with `explode: true`: `name=a&name=b`; an object as `key=value&...`.
    Exploded,
    /// `name=a,b` (`,` for `form`, `|` and ` ` for the delimited styles); an object as
    /// `name=key,value,...`.
    Delimited(char),
    /// `name[key]=value`.
    DeepObject,
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

    /// A parameter the operation's path fixes: `name=value`, or `name` alone.
    pub(crate) fn push_fixed(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(value) => self.pair(name, value),
            None => {
                if !self.encoded.is_empty() {
                    self.encoded.push('&');
                }
                let _ = write!(self.encoded, "{}", utf8_percent_encode(name, NAME));
            }
        }
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

    /// An object in `deepObject` style: `name[key]=value` for each property; nested objects
    /// add brackets (`name[a][b]=value`), arrays repeat the name (`name[a]=x&name[a]=y`), and
    /// null properties are left out.
    pub(crate) fn push_deep_object<T: Serialize>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), InvalidRequest> {
        let Some(value) = value else { return Ok(()) };
        let value = object_value(name, value)?;
        self.push_deep(name, &value);
        Ok(())
    }

    fn push_deep(&mut self, name: &str, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (key, item) in map {
                    self.push_deep(&format!("{name}[{key}]"), item);
                }
            }
            // Scalars repeat the name; objects and arrays inside are numbered
            // (`name[0][key]=value`), so that their properties stay together.
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(_) | Value::Array(_) => self.push_deep(&format!("{name}[{i}]"), item),
                        scalar => self.push_deep(name, scalar),
                    }
                }
            }
            scalar => self.pair(name, &scalar.to_param()),
        }
    }

    /// One property of an `application/x-www-form-urlencoded` body, as the `encoding`
    /// object's style says (`None`: arrays repeat the name, `k=a&k=b`, and objects nest in
    /// brackets, `k[a]=1`). Null values are left out; booleans and numbers are their JSON
    /// text.
    pub(crate) fn push_form_field(&mut self, name: &str, value: &serde_json::Value, style: Option<Style>) {
        use serde_json::Value;
        match (value, style) {
            (Value::Null, _) => {}
            (Value::Object(_), None | Some(Style::DeepObject)) => self.push_deep(name, value),
            (Value::Object(map), Some(Style::Exploded)) => {
                for (key, item) in map {
                    self.push_form_field(key, item, None);
                }
            }
            (Value::Object(_), Some(Style::Delimited(_))) => {
                // Writing a JSON object cannot fail.
                let _ = self.push_object_delimited(name, Some(value));
            }
            (Value::Array(_), Some(Style::DeepObject)) => self.push_deep(name, value),
            (Value::Array(items), None | Some(Style::Exploded)) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(_) | Value::Array(_) => self.push_deep(&format!("{name}[{i}]"), item),
                        Value::Null => {}
                        scalar => self.pair(name, &scalar.to_param()),
                    }
                }
            }
            (Value::Array(items), Some(Style::Delimited(d))) => {
                let items: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
                self.push_delimited(name, Some(&items), d);
            }
            (scalar, _) => self.pair(name, &scalar.to_param()),
        }
    }

    /// An object in `form` style with `explode: true`: each property is a parameter of its
    /// own, `key=value` (arrays repeat the key; nested objects are sent as JSON text).
    pub(crate) fn push_object_exploded<T: Serialize>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), InvalidRequest> {
        let Some(value) = value else { return Ok(()) };
        if let serde_json::Value::Object(map) = object_value(name, value)? {
            for (key, item) in &map {
                match item {
                    serde_json::Value::Null => {}
                    serde_json::Value::Array(items) => {
                        for item in items {
                            self.pair(key, &item.to_param());
                        }
                    }
                    other => self.pair(key, &other.to_param()),
                }
            }
        }
        Ok(())
    }

    /// An object in `form` style with `explode: false`: `name=key,value,other,value`, each key
    /// and value percent-encoded on its own so that a comma inside one cannot split it.
    pub(crate) fn push_object_delimited<T: Serialize>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), InvalidRequest> {
        let Some(value) = value else { return Ok(()) };
        if let serde_json::Value::Object(map) = object_value(name, value)? {
            self.start(name);
            let mut first = true;
            for (key, item) in map.iter().filter(|(_, v)| !v.is_null()) {
                if !first {
                    self.encoded.push(',');
                }
                first = false;
                self.push_encoded(key);
                self.encoded.push(',');
                self.push_encoded(&item.to_param());
            }
        }
        Ok(())
    }

    /// A value whose shape is known only at run time, from its JSON form: a scalar as
    /// `name=value`, an array or object as `style` says, null as nothing.
    pub(crate) fn push_serialized<T: Serialize>(
        &mut self,
        name: &str,
        value: Option<&T>,
        style: Style,
    ) -> Result<(), InvalidRequest> {
        use serde_json::Value;
        let Some(value) = value else { return Ok(()) };
        let value = serde_json::to_value(value)
            .map_err(|e| InvalidRequest::new(format!("query parameter `{name}` cannot be encoded: {e}")))?;
        match (&value, style) {
            (Value::Null, _) => {}
            (Value::Object(_), Style::DeepObject) => self.push_deep(name, &value),
            (Value::Object(_), Style::Exploded) => self.push_object_exploded(name, Some(&value))?,
            (Value::Object(_), Style::Delimited(_)) => self.push_object_delimited(name, Some(&value))?,
            (Value::Array(items), Style::Exploded | Style::DeepObject) => {
                let items: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
                self.push_exploded(name, Some(&items));
            }
            (Value::Array(items), Style::Delimited(d)) => {
                let items: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
                self.push_delimited(name, Some(&items), d);
            }
            (scalar, _) => self.pair(name, &scalar.to_param()),
        }
        Ok(())
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.encoded
    }
}

/// A parameter described by `content` of a JSON media type: its JSON text.
pub(crate) fn json_text<T: Serialize>(name: &str, value: Option<&T>) -> Result<Option<String>, InvalidRequest> {
    value
        .map(|v| serde_json::to_string(v))
        .transpose()
        .map_err(|e| InvalidRequest::new(format!("parameter `{name}` cannot be written as JSON: {e}")))
}

/// A parameter value that must be a JSON object.
fn object_value<T: Serialize>(name: &str, value: &T) -> Result<serde_json::Value, InvalidRequest> {
    match serde_json::to_value(value) {
        Ok(value @ (serde_json::Value::Object(_) | serde_json::Value::Null)) => Ok(value),
        Ok(_) => Err(InvalidRequest::new(format!("query parameter `{name}` must be an object"))),
        Err(e) => Err(InvalidRequest::new(format!("query parameter `{name}` cannot be encoded: {e}"))),
    }
}

/// A cookie value, percent-encoded like a query value so that it cannot end the cookie (`;`)
/// or hold characters a cookie may not.
pub(crate) fn cookie_value(raw: &str) -> String {
    utf8_percent_encode(raw, COMPONENT).to_string()
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

/// RFC 6570's reserved set, less what would end the path (`?`, `#`) or start an escape (`%`):
/// sent as it is by a `{+name}` parameter.
const RESERVED: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'[')
    .remove(b']');

/// A `{+name}` path parameter (RFC 6570's reserved expansion, as Google's APIs write
/// `/v1/{+name}`): its slashes and other reserved characters stay, so that
/// `projects/p/topics/t` is sent as it is. A value that is empty, or has a `.` or `..`
/// segment (it would change the path), is refused.
pub(crate) fn path_reserved<V: ParamValue + ?Sized>(
    name: &str,
    value: &V,
) -> Result<String, InvalidRequest> {
    let raw = value.to_param();
    if raw.is_empty() {
        return Err(InvalidRequest::new(format!("path parameter `{name}` is empty")));
    }
    if raw.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(InvalidRequest::new(format!(
            "path parameter `{name}` is `{raw}`, whose `.` or `..` would change the path"
        )));
    }
    Ok(utf8_percent_encode(&raw, RESERVED).to_string())
}

/// How a path parameter is written (its `style` and `explode`), for the styles that add more
/// than the value: `simple` scalars go through [`path_segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathStyle {
    /// `a,b`.
    Simple,
    /// `.a,b`; exploded, `.a.b`.
    Label { explode: bool },
    /// `;name=a,b`; exploded, `;name=a;name=b`.
    Matrix { explode: bool },
}

/// A scalar path parameter in `label` (`.value`) or `matrix` (`;name=value`) style,
/// percent-encoded so that it stays in its segment.
pub(crate) fn path_styled<V: ParamValue + ?Sized>(
    name: &str,
    value: &V,
    style: PathStyle,
) -> Result<String, InvalidRequest> {
    match style {
        PathStyle::Simple => path_segment(name, value),
        PathStyle::Label { .. } => Ok(format!(".{}", utf8_percent_encode(&value.to_param(), COMPONENT))),
        PathStyle::Matrix { .. } => Ok(format!(
            ";{}={}",
            utf8_percent_encode(name, COMPONENT),
            utf8_percent_encode(&value.to_param(), COMPONENT)
        )),
    }
}

/// An array path parameter as its style says (RFC 6570's `{x}`, `{.x}`, `{;x}`, exploded
/// with `*`), each item percent-encoded on its own so that a delimiter inside one cannot
/// split it. An empty array is refused: it would leave the segment empty.
pub(crate) fn path_list<V: ParamValue>(
    name: &str,
    values: &[V],
    style: PathStyle,
) -> Result<String, InvalidRequest> {
    if values.is_empty() {
        return Err(InvalidRequest::new(format!(
            "path parameter `{name}` has no items"
        )));
    }
    let encoded_name = utf8_percent_encode(name, COMPONENT).to_string();
    let (start, between) = match style {
        PathStyle::Simple => (String::new(), ",".to_owned()),
        PathStyle::Label { explode: false } => (".".to_owned(), ",".to_owned()),
        PathStyle::Label { explode: true } => (".".to_owned(), ".".to_owned()),
        PathStyle::Matrix { explode: false } => (format!(";{encoded_name}="), ",".to_owned()),
        PathStyle::Matrix { explode: true } => {
            (format!(";{encoded_name}="), format!(";{encoded_name}="))
        }
    };
    let mut out = start;
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(&between);
        }
        let _ = write!(out, "{}", utf8_percent_encode(&value.to_param(), COMPONENT));
    }
    if style == PathStyle::Simple && matches!(out.as_str(), "" | "." | "..") {
        return path_segment(name, out.as_str());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Filter {
        status: &'static str,
        tags: Vec<&'static str>,
        range: Range,
        missing: Option<u32>,
    }

    #[derive(Serialize)]
    struct Range {
        min: u32,
        max: u32,
    }

    fn filter() -> Filter {
        Filter { status: "a&b=c", tags: vec!["x", "y z"], range: Range { min: 1, max: 9 }, missing: None }
    }

    #[test]
    fn deep_objects_bracket_each_key() {
        let mut query = Query::new();
        query.push_deep_object("filter", Some(&filter())).unwrap();
        assert_eq!(
            query.as_str(),
            "filter[status]=a%26b%3Dc&filter[tags]=x&filter[tags]=y%20z&filter[range][min]=1&filter[range][max]=9"
        );
        query.push_deep_object::<Filter>("none", None).unwrap();
        assert!(!query.as_str().contains("none"));
    }

    #[test]
    fn exploded_objects_send_each_property() {
        let mut query = Query::new();
        query.push_object_exploded("filter", Some(&filter())).unwrap();
        assert_eq!(query.as_str(), "status=a%26b%3Dc&tags=x&tags=y%20z&range=%7B%22min%22%3A1%2C%22max%22%3A9%7D");
    }

    #[test]
    fn delimited_objects_pair_keys_and_values() {
        let mut query = Query::new();
        let map: std::collections::BTreeMap<&str, &str> = [("a", "1,2"), ("b", "x")].into();
        query.push_object_delimited("obj", Some(&map)).unwrap();
        assert_eq!(query.as_str(), "obj=a,1%2C2,b,x");
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused() {
        let mut query = Query::new();
        let err = query.push_deep_object("filter", Some(&3)).unwrap_err();
        assert!(err.message().contains("`filter` must be an object"), "{err}");
        assert_eq!(query.as_str(), "");
    }

    #[test]
    fn values_of_either_shape_are_written_by_theirs() {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<Option<String>>),
        }
        let mut query = Query::new();
        query.push_serialized("id", Some(&OneOrMany::One("a b".into())), Style::Exploded).unwrap();
        let many = OneOrMany::Many(vec![Some("x".into()), None, Some("y,z".into())]);
        query.push_serialized("id", Some(&many), Style::Exploded).unwrap();
        query.push_serialized("ids", Some(&many), Style::Delimited(',')).unwrap();
        query.push_serialized::<OneOrMany>("none", None, Style::Exploded).unwrap();
        assert_eq!(query.as_str(), "id=a%20b&id=x&id=y%2Cz&ids=x,y%2Cz");
    }

    #[test]
    fn path_lists_are_written_as_their_style_says() {
        let colors = ["blue", "black", "a/b,c"];
        let list = |style| path_list("color", &colors, style).unwrap();
        assert_eq!(list(PathStyle::Simple), "blue,black,a%2Fb%2Cc");
        assert_eq!(list(PathStyle::Label { explode: false }), ".blue,black,a%2Fb%2Cc");
        assert_eq!(list(PathStyle::Label { explode: true }), ".blue.black.a%2Fb%2Cc");
        assert_eq!(list(PathStyle::Matrix { explode: false }), ";color=blue,black,a%2Fb%2Cc");
        assert_eq!(
            list(PathStyle::Matrix { explode: true }),
            ";color=blue;color=black;color=a%2Fb%2Cc"
        );
        assert!(path_list::<&str>("color", &[], PathStyle::Simple).is_err());
        assert!(path_list("color", &[".."], PathStyle::Simple).is_err());
        assert_eq!(path_list("n", &[1, 2], PathStyle::Simple).unwrap(), "1,2");
    }

    #[test]
    fn reserved_path_values_keep_their_slashes() {
        assert_eq!(path_reserved("name", "projects/p-1/topics/a b").unwrap(), "projects/p-1/topics/a%20b");
        assert_eq!(path_reserved("name", "x:y@z,w=1;v").unwrap(), "x:y@z,w=1;v");
        assert_eq!(path_reserved("name", "a?b#c%").unwrap(), "a%3Fb%23c%25");
        for bad in ["", "a/../b", "./a", "a/."] {
            assert!(path_reserved("name", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn styled_path_scalars_carry_their_prefix() {
        assert_eq!(path_styled("id", "a b", PathStyle::Label { explode: false }).unwrap(), ".a%20b");
        assert_eq!(path_styled("id", &5, PathStyle::Matrix { explode: true }).unwrap(), ";id=5");
        assert_eq!(path_styled("id", "x;y", PathStyle::Simple).unwrap(), "x%3By");
    }

    #[test]
    fn cookie_values_cannot_end_the_cookie() {
        assert_eq!(cookie_value("a; b=c"), "a%3B%20b%3Dc");
    }
}
