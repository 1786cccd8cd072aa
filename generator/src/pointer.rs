//! JSON pointers (RFC 6901): the one place their segments are escaped and unescaped, and the
//! one limit on how far a chain of references is followed.

/// How many references (or aliases) in a row are followed before the chain is taken for a
/// cycle and given up on.
pub const MAX_REF_HOPS: usize = 32;

/// A segment as written in a pointer: `~` as `~0`, `/` as `~1`.
pub fn escape(segment: &str) -> String {
    if !segment.contains(['~', '/']) {
        return segment.to_owned();
    }
    segment.replace('~', "~0").replace('/', "~1")
}

/// `segment` appended to `out` as written in a pointer (`escape` without a new string).
pub fn push_escaped(out: &mut String, segment: &str) {
    // Byte by byte (both characters are ASCII, so each is a character of its own), copying
    // the runs between them whole: this is asked for every place a diagnostic may name.
    let mut run = 0;
    for (at, byte) in segment.bytes().enumerate() {
        let escaped = match byte {
            b'~' => "~0",
            b'/' => "~1",
            _ => continue,
        };
        out.push_str(&segment[run..at]);
        out.push_str(escaped);
        run = at + 1;
    }
    out.push_str(&segment[run..]);
}

/// A pointer's segment as the key it names (`~1` first, so that `~01` is `~1`).
pub fn unescape(segment: &str) -> String {
    if !segment.contains('~') {
        return segment.to_owned();
    }
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for key in [
            "plain",
            "a/b",
            "~",
            "~1",
            "/~0/",
            "application/vnd.api+json",
        ] {
            assert_eq!(unescape(&escape(key)), key);
        }
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        let mut pushed = String::from("#");
        push_escaped(&mut pushed, "a/b~c");
        assert_eq!(pushed, "#a~1b~0c");
        assert_eq!(unescape("~01"), "~1");
    }
}
