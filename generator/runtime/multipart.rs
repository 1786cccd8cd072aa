//! `multipart/form-data` bodies (RFC 7578), built in memory so that a request can be sent
//! again when it is retried.

use std::fmt;

use bytes::Bytes;
use serde::Serialize;

use super::encoding::ParamValue;
use super::error::InvalidRequest;

/// A file sent in a `multipart/form-data` body: its bytes, and optionally the file name and
/// media type the part declares (by default the field's name and
/// `application/octet-stream`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Upload {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Upload {
    /// A file with these contents.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the part declares.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The media type of the part, e.g. `image/png`.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    /// The contents.
    pub fn data(&self) -> &Bytes {
        &self.data
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Upload {
    fn from(data: Vec<u8>) -> Self {
        Self::new(data)
    }
}

impl From<Bytes> for Upload {
    fn from(data: Bytes) -> Self {
        Self::new(data)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(data: &'static [u8]) -> Self {
        Self::new(data)
    }
}

impl From<String> for Upload {
    fn from(data: String) -> Self {
        Self::new(data)
    }
}

impl From<&'static str> for Upload {
    fn from(data: &'static str) -> Self {
        Self::new(data)
    }
}

/// As JSON, a file is its bytes (it only travels in multipart bodies).
impl Serialize for Upload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.data)
    }
}

impl<'de> serde::Deserialize<'de> for Upload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Self::from)
    }
}

struct Part {
    headers: String,
    data: Bytes,
}

/// A `multipart/form-data` body under construction: one part per call.
#[derive(Default)]
pub(crate) struct Multipart {
    parts: Vec<Part>,
    error: Option<InvalidRequest>,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn part(&mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>, data: Bytes) {
        let mut headers = format!("Content-Disposition: form-data; name=\"{}\"", escape(name));
        if let Some(file_name) = file_name {
            headers.push_str(&format!("; filename=\"{}\"", escape(file_name)));
        }
        if let Some(content_type) = content_type {
            if content_type.contains(['\r', '\n']) {
                self.error.get_or_insert_with(|| {
                    InvalidRequest::new(format!("the media type of part `{name}` holds a line break"))
                });
                return;
            }
            headers.push_str(&format!("\r\nContent-Type: {content_type}"));
        }
        self.parts.push(Part { headers, data });
    }

    /// A text part: a string, number or boolean.
    pub(crate) fn text<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        let text = value.to_param().into_owned();
        self.part(name, None, None, Bytes::from(text));
    }

    /// A text part with the media type the document gives it.
    pub(crate) fn text_as<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V, media_type: &str) {
        let text = value.to_param().into_owned();
        self.part(name, None, Some(media_type), Bytes::from(text));
    }

    /// A file part, with the file's own media type or else `default_type` (the document's,
    /// or `application/octet-stream`).
    pub(crate) fn file(&mut self, name: &str, file: &Upload, default_type: &str) {
        let file_name = file.file_name.as_deref().unwrap_or(name);
        let content_type = file.content_type.as_deref().unwrap_or(default_type);
        self.part(name, Some(file_name), Some(content_type), file.data.clone());
    }

    /// A part holding JSON: objects and arrays of objects.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_vec(value) {
            Ok(json) => self.part(name, None, Some("application/json"), Bytes::from(json)),
            Err(e) => {
                self.error.get_or_insert_with(|| {
                    InvalidRequest::new(format!("part `{name}` cannot be encoded as JSON: {e}"))
                });
            }
        }
    }

    /// A part whose type is known only at run time: strings, numbers and booleans as text,
    /// anything else as JSON; null is left out.
    pub(crate) fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::String(s)) => self.part(name, None, None, Bytes::from(s)),
            Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
                self.part(name, None, None, Bytes::from(v.to_string()))
            }
            Ok(other) => self.json(name, &other),
            Err(e) => {
                self.error.get_or_insert_with(|| {
                    InvalidRequest::new(format!("part `{name}` cannot be encoded: {e}"))
                });
            }
        }
    }

    /// The content type (with its boundary) and the body. The boundary is chosen so that it
    /// occurs in no part.
    pub(crate) fn finish(self) -> Result<(String, Vec<u8>), InvalidRequest> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let boundary = loop {
            let candidate = format!("----form-boundary-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
            let clash = self.parts.iter().any(|p| {
                p.data
                    .windows(candidate.len())
                    .any(|w| w == candidate.as_bytes())
            });
            if !clash {
                break candidate;
            }
        };
        let mut body = Vec::with_capacity(
            self.parts.iter().map(|p| p.headers.len() + p.data.len() + boundary.len() + 10).sum::<usize>()
                + boundary.len()
                + 8,
        );
        for part in &self.parts {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(part.headers.as_bytes());
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        Ok((format!("multipart/form-data; boundary={boundary}"), body))
    }
}

/// Names in `Content-Disposition` escape `"`, CR and LF as the HTML standard does.
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_a_boundary() {
        let mut form = Multipart::new();
        form.text("title", "a \"quoted\"\r\nline");
        form.text("count", &3);
        form.file("file", &Upload::new(&b"\x00\x01binary"[..]).file_name("a\".png").content_type("image/png"), "image/gif");
        form.text_as("csv", "a,b", "text/csv");
        form.json("meta", &serde_json::json!({"k": [1, 2]}));
        form.value("extra", &serde_json::json!(true));
        form.value("none", &serde_json::Value::Null);
        let (content_type, body) = form.finish().unwrap();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"quoted\"\r\nline\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22.png\"\r\nContent-Type: image/png\r\n\r\n\x00\x01binary\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":[1,2]}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"extra\"\r\n\r\ntrue\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn a_file_gets_a_default_name_and_type() {
        let mut form = Multipart::new();
        form.file("avatar", &Upload::from(vec![1, 2, 3]), "application/octet-stream");
        let (_, body) = form.finish().unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"avatar\"; filename=\"avatar\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{1}\u{2}\u{3}\r\n"), "{text}");
    }

    #[test]
    fn a_media_type_cannot_add_headers() {
        let mut form = Multipart::new();
        form.file("f", &Upload::new("x").content_type("text/plain\r\nX-Evil: 1"), "text/plain");
        assert!(form.finish().unwrap_err().message().contains("line break"));
    }

    #[test]
    fn uploads_do_not_print_their_bytes() {
        let upload = Upload::new(vec![7u8; 1000]).file_name("big.bin");
        assert_eq!(format!("{upload:?}"), "Upload { len: 1000, file_name: Some(\"big.bin\"), content_type: None }");
    }
}
