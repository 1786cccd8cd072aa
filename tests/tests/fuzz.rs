//! Mutation fuzzing of the loader and the generator: real documents, changed at random in
//! their structure (nodes removed, replaced with values of other types, keys renamed to
//! hostile strings, `$ref`s pointed anywhere, the text cut short), must give either a crate
//! whose every file is valid Rust or errors that name places; never a panic.
//!
//! Deterministic: iteration `i` uses seed `i`. Runs for `FUZZ_SECONDS` (default 20) or
//! `FUZZ_ITERATIONS` (default 100000), whichever ends first, and prints what it found.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn bases() -> Vec<(String, Value)> {
    let dir = xtask::workspace_root().join("../shared/specs");
    let mut docs = Vec::new();
    for name in [
        "oai-v3.0-petstore.yaml",
        "oai-v3.0-petstore-expanded.yaml",
        "oai-v3.0-link-example.yaml",
        "oai-v3.0-uspto.yaml",
        "oai-v3.0-callback-example.yaml",
        "oai-v3.1-tictactoe.yaml",
        "oai-v3.1-webhook-example.yaml",
        "buildomat.json",
        "keeper.json",
        "propolis-server.json",
    ] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            docs.push((
                name.to_owned(),
                generator::load::parse_document(&text).unwrap(),
            ));
        }
    }
    let features =
        std::fs::read_to_string(xtask::workspace_root().join("tests/features/features.yaml"))
            .unwrap();
    docs.push((
        "features.yaml".into(),
        generator::load::parse_document(&features).unwrap(),
    ));
    let kajabi = std::fs::read_to_string(xtask::workspace_root().join("openapi.yaml")).unwrap();
    docs.push((
        "openapi.yaml".into(),
        generator::load::parse_document(&kajabi).unwrap(),
    ));
    docs
}

fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

const HOSTILE: &[&str] = &[
    "", "*/", "\"#", "]]", "../../x", "a/b", "self", "type", "{id}", "1st", "💥", "<script>",
    "```", "r#fn", "\u{0}",
];

fn random_value(rng: &mut fastrand::Rng, ptrs: &[String]) -> Value {
    match rng.usize(0..20) {
        16 => {
            // References into other files: one that exists, missing ones, escapes, URLs.
            const FILES: &[&str] = &[
                "ext.yaml",
                "ext.yaml#/Pet",
                "ext.yaml#/nope",
                "missing.yaml",
                "../outside.yaml",
                "/etc/hostname",
                "https://example.com/x.yaml",
                "ext.yaml#/Loop",
                "%zz.yaml",
                "dir/",
            ];
            json!({ "$ref": FILES[rng.usize(0..FILES.len())] })
        }
        17 => json!({
            "oneOf": [{ "$ref": format!("#{}", ptrs[rng.usize(0..ptrs.len())]) }, { "type": "object", "required": ["k"], "properties": { "k": { "enum": ["a"] } } }],
            "discriminator": { "propertyName": HOSTILE[rng.usize(0..HOSTILE.len())], "mapping": { "a": "#/nope", "b": "Missing" } }
        }),
        18 => {
            json!({ "multipart/form-data": { "schema": { "type": "object", "properties": { "f": { "type": "string", "format": "binary" }, "o": { "type": "object" }, "a": { "type": "array", "items": { "type": "string", "format": "binary" } } } } } })
        }
        19 => {
            let location = ["cookie", "query", "header"][rng.usize(0..3)];
            let style = ["deepObject", "form", "pipeDelimited"][rng.usize(0..3)];
            json!({ "name": HOSTILE[rng.usize(0..HOSTILE.len())], "in": location, "style": style, "explode": rng.bool(), "schema": { "type": "object", "properties": { "x": { "type": "integer" } } } })
        }
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1e308),
        4 => json!(HOSTILE[rng.usize(0..HOSTILE.len())]),
        5 => json!([]),
        6 => json!({}),
        7 => json!({ "$ref": "#/nope/nothing" }),
        8 => json!({ "$ref": format!("#{}", ptrs[rng.usize(0..ptrs.len())]) }),
        9 => json!({ "type": ["null"] }),
        10 => json!({ "type": "array" }),
        11 => json!({ "allOf": [{}, { "type": "string" }, { "$ref": "#/components/schemas" }] }),
        12 => json!({ "oneOf": [] }),
        13 => {
            json!({ "type": "object", "additionalProperties": { "$ref": format!("#{}", ptrs[rng.usize(0..ptrs.len())]) } })
        }
        14 => json!({ "type": ["string", "integer", "null"], "enum": ["a", 1, null, ""] }),
        _ => json!({ "type": "string", "enum": HOSTILE }),
    }
}

fn mutate(doc: &mut Value, rng: &mut fastrand::Rng) {
    let mut ptrs = Vec::new();
    pointers(doc, String::new(), &mut ptrs);
    if ptrs.is_empty() {
        return;
    }
    let target = ptrs[rng.usize(0..ptrs.len())].clone();
    let (parent, last) = target.rsplit_once('/').unwrap();
    let last = last.replace("~1", "/").replace("~0", "~");
    let replacement = random_value(rng, &ptrs);
    let Some(parent_node) = doc.pointer_mut(parent) else {
        return;
    };
    match (rng.usize(0..4), parent_node) {
        (0, Value::Object(map)) => {
            map.shift_remove(&last);
        }
        (0, Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        (1, Value::Object(map)) => {
            if let Some(v) = map.shift_remove(&last) {
                map.insert(HOSTILE[rng.usize(0..HOSTILE.len())].to_owned(), v);
            }
        }
        (2, Value::Object(map)) => {
            if let Some(v) = map.get(&last).cloned() {
                map.insert(format!("{last}{}", HOSTILE[rng.usize(0..HOSTILE.len())]), v);
            }
        }
        (_, node) => {
            if let Some(slot) = match node {
                Value::Object(map) => map.get_mut(&last),
                Value::Array(items) => last.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            } {
                *slot = replacement;
            }
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let max: u64 = std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let bases = bases();
    assert!(bases.len() >= 5, "the corpus documents are needed");
    // The documents are read as if they sat in a directory with one other file, so that
    // references into other files are followed too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ext.yaml"),
        "Pet: { type: object, properties: { name: { type: string }, loop: { $ref: '#/Loop' } } }\nLoop: { $ref: 'ext.yaml#/Pet' }\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("dir")).unwrap();
    std::fs::write(dir.path().join("openapi.json"), "{}").unwrap();
    let config = generator::Config {
        document: Some(dir.path().join("openapi.json")),
        ..Default::default()
    };
    let started = Instant::now();
    let (mut generated, mut refused, mut iterations) = (0u64, 0u64, 0u64);
    let mut panics = Vec::new();
    let mut invalid_rust = Vec::new();
    while iterations < max && started.elapsed() < Duration::from_secs(seconds) {
        let seed = iterations;
        iterations += 1;
        let mut rng = fastrand::Rng::with_seed(seed);
        // Kajabi's document is large: one time in ten.
        let base = if rng.usize(0..10) == 0 {
            bases.len() - 1
        } else {
            rng.usize(0..bases.len() - 1)
        };
        let (name, doc) = &bases[base];
        let mut doc = doc.clone();
        for _ in 0..rng.usize(1..6) {
            mutate(&mut doc, &mut rng);
        }
        let mut text = serde_json::to_string(&doc).unwrap();
        if rng.usize(0..25) == 0 {
            text.truncate(rng.usize(0..text.len().max(1)));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &config)));
        match outcome {
            Err(_) => panics.push(format!("seed {seed} ({name})")),
            Ok(Err(diags)) => {
                refused += 1;
                assert!(
                    diags.errors().count() > 0,
                    "seed {seed}: refused without an error"
                );
                for d in diags.errors() {
                    // `#/...`, or `file.yaml#/...` for a place in a file a `$ref` named.
                    assert!(d.pointer.contains('#'), "seed {seed}: {d}");
                }
            }
            Ok(Ok(krate)) => {
                generated += 1;
                for (path, contents) in &krate.files {
                    assert!(!path.contains(".."), "seed {seed}: {path}");
                    if path.ends_with(".rs") && syn::parse_file(contents).is_err() {
                        invalid_rust.push(format!("seed {seed} ({name}): {path}"));
                    }
                }
            }
        }
    }
    println!(
        "\nfuzzed {iterations} mutated documents in {:.1?}: {generated} generated, {refused} refused with errors, {} panics, {} invalid files",
        started.elapsed(),
        panics.len(),
        invalid_rust.len()
    );
    assert!(panics.is_empty(), "panics: {panics:?}");
    assert!(invalid_rust.is_empty(), "invalid Rust: {invalid_rust:?}");
}
