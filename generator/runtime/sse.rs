//! The `text/event-stream` parser of the WHATWG HTML standard ("Server-sent events",
//! interpreting an event stream), fed chunk by chunk as they arrive.

use std::collections::VecDeque;
use std::time::Duration;

/// One event as the stream dispatched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The event type, `message` when the stream named none.
    pub(crate) event: String,
    /// The data lines, joined with `\n`.
    pub(crate) data: String,
    /// The last event ID set so far, when one was.
    pub(crate) id: Option<String>,
    /// The reconnection time, when the event's stream set one.
    pub(crate) retry: Option<Duration>,
}

#[derive(Debug, Default)]
pub(crate) struct SseParser {
    /// Bytes of a line not yet ended.
    line: Vec<u8>,
    /// The last chunk ended with CR: an LF starting the next belongs to it.
    after_cr: bool,
    /// The first line has been seen (a BOM can only start it).
    started: bool,
    data: String,
    /// Whether the event being read has had any field (for telling a cut event).
    fields: bool,
    /// The lines of the event being read, as received.
    raw: String,
    event: String,
    /// The id the stream last set; it becomes the last event ID when an event ends.
    id_buffer: Option<String>,
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl SseParser {
    pub(crate) fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Reads a chunk, appending the events it completes to `out`.
    pub(crate) fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<RawEvent>) {
        let mut rest = chunk;
        if rest.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(after) = rest.strip_prefix(b"\n") {
                rest = after;
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.line);
            self.process(&line, out);
            let crlf = rest[end] == b'\r';
            rest = &rest[end + 1..];
            if crlf {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(rest);
    }

    /// Forgets the event being read (its connection broke); the last event ID and the
    /// reconnection time stay.
    pub(crate) fn reset_event(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.data.clear();
        self.event.clear();
        self.raw.clear();
        self.fields = false;
        self.id_buffer = self.last_id.clone();
        // A new connection may start with a BOM again.
        self.started = false;
    }

    /// The end of the stream: what was left of an event that never ended, if anything.
    pub(crate) fn finish(&mut self) -> Option<String> {
        let partial = std::mem::take(&mut self.line);
        let cut = !partial.is_empty() || self.fields;
        cut.then(|| {
            let mut text = std::mem::take(&mut self.raw);
            text.push_str(&String::from_utf8_lossy(&partial));
            text
        })
    }

    fn process(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) {
        let mut line = String::from_utf8_lossy(line);
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_owned().into();
            }
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        self.raw.push_str(&line);
        self.raw.push('\n');
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        self.fields = true;
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.id_buffer = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        self.fields = false;
        self.last_id = self.id_buffer.clone();
        self.raw.clear();
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        out.push_back(RawEvent {
            event: if event.is_empty() { "message".to_owned() } else { event },
            data,
            id: self.last_id.clone(),
            retry: self.retry,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> (Vec<RawEvent>, Option<String>) {
        let mut parser = SseParser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        let cut = parser.finish();
        (out.into_iter().collect(), cut)
    }

    const STREAM: &[u8] = b"\xef\xbb\xbf: a comment\r\nevent: delta\r\nid: 7\r\nretry: 2500\r\ndata: {\"a\":\r\ndata:1}\r\n\r\ndata: two\rdata:  lines\r\rid\nevent: done\ndata\n\n: trailing comment\n\n";

    fn expected() -> Vec<RawEvent> {
        vec![
            RawEvent { event: "delta".into(), data: "{\"a\":\n1}".into(), id: Some("7".into()), retry: Some(Duration::from_millis(2500)) },
            RawEvent { event: "message".into(), data: "two\n lines".into(), id: Some("7".into()), retry: Some(Duration::from_millis(2500)) },
            // `id` with no value clears it; `data` with no colon is an empty line of data.
            RawEvent { event: "done".into(), data: "".into(), id: None, retry: Some(Duration::from_millis(2500)) },
        ]
    }

    #[test]
    fn events_parse_whole() {
        assert_eq!(parse(&[STREAM]), (expected(), None));
    }

    #[test]
    fn events_parse_split_at_every_byte_boundary() {
        for i in 0..=STREAM.len() {
            for j in i..=STREAM.len() {
                let chunks = [&STREAM[..i], &STREAM[i..j], &STREAM[j..]];
                assert_eq!(parse(&chunks), (expected(), None), "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn a_stream_cut_mid_event_says_so() {
        assert_eq!(parse(&[b"data: whole\n\nid: 3\ndata: half"]).1.as_deref(), Some("id: 3\ndata: half"));
        assert_eq!(parse(&[b"data: whole\n\ndata: line ended\n"]).1.as_deref(), Some("data: line ended\n"));
        assert_eq!(parse(&[b"data: whole\n\n"]).1, None);
        // An event without data is not dispatched, and not a cut either once it ends.
        assert_eq!(parse(&[b"event: ping\n\n"]), (vec![], None));
    }

    #[test]
    fn the_last_event_id_is_that_of_the_last_whole_event() {
        let mut parser = SseParser::default();
        let mut out = VecDeque::new();
        parser.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b", &mut out);
        assert_eq!(parser.last_event_id(), Some("1"));
        parser.reset_event();
        parser.feed(b"data: c\n\n", &mut out);
        assert_eq!(out.back().unwrap().id.as_deref(), Some("1"), "the cut event's id is forgotten");
    }
}
