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
    if !segment.contains(['~', '/']) {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
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
