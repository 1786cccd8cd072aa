//! Every real-world document in the corpus (`../shared/specs`, or `CODEGEN_CORPUS_DIR`)
//! generates a crate with all its operations, and every crate passes `cargo clippy` and
//! `cargo doc` with warnings denied (`cargo check` where clippy is not installed, said
//! loudly). Prints, per document: operations, types, generation time, lint and doc time,
//! result.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::{generate, Config};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CODEGEN_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| xtask::workspace_root().join("../shared/specs"));
    dir.is_dir().then_some(dir)
}

fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
        .collect();
    docs.sort();
    docs
}

/// Operations the document declares, counted on the raw document.
fn declared_operations(text: &str) -> usize {
    let value: serde_json::Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).unwrap()
    } else {
        serde_yaml_value(text)
    };
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    value["paths"]
        .as_object()
        .map(|paths| {
            paths
                .values()
                .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
                .sum()
        })
        .unwrap_or(0)
}

fn serde_yaml_value(text: &str) -> serde_json::Value {
    generator::load::parse_document(text).expect("corpus YAML parses")
}

#[test]
fn every_corpus_document_generates_a_crate_that_compiles() {
    let Some(dir) = corpus_dir() else {
        let message = "THE CORPUS DIRECTORY IS MISSING: put the specs in ../shared/specs or set CODEGEN_CORPUS_DIR";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("\n!!! {message}; the corpus test did not run !!!\n");
        return;
    };
    let mut crates = Vec::new();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for doc in documents(&dir) {
        let file = doc.file_name().unwrap().to_string_lossy().into_owned();
        let slug: String = file
            .rsplit_once('.')
            .map(|(stem, _)| stem)
            .unwrap_or(&file)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let text = std::fs::read_to_string(&doc).unwrap();
        let config = Config {
            crate_name: format!("corpus-{slug}"),
            crate_version: "0.0.0".into(),
            document: Some(doc.clone()),
            ..Default::default()
        };
        let started = Instant::now();
        let result = generate(&text, &config);
        let elapsed = started.elapsed();
        match result {
            Ok(generated) => {
                let operations: usize = generated.api.paths.iter().map(|g| g.operations.len()).sum();
                let declared = declared_operations(&text);
                if operations != declared {
                    failures.push(format!("{file}: {operations} of {declared} operations generated"));
                }
                crates.push((slug.clone(), generated.files));
                rows.push((file, operations, generated.api.types.len(), elapsed, slug));
            }
            Err(diags) => failures.push(format!("{file}: does not generate:\n{diags}")),
        }
    }
    let members: Vec<&str> = crates.iter().map(|(slug, _)| slug.as_str()).collect();
    let workspace = common::Workspace::new(&members);
    for (slug, files) in &crates {
        workspace.write_crate(slug, files);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let has_clippy = Command::new(&cargo).args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success());
    if !has_clippy {
        let message = "CLIPPY IS NOT INSTALLED (rustup component add clippy): the corpus crates get `cargo check` only";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("\n!!! {message} !!!\n");
    }
    let lint: &[&str] = if has_clippy { &["clippy", "--quiet"] } else { &["check", "--quiet"] };
    println!(
        "\n{:<36} {:>6} {:>6} {:>9} {:>9} {:>9}  result",
        "document", "ops", "types", "generate", lint[0], "doc"
    );
    for (file, operations, types, elapsed, slug) in &rows {
        let package = format!("corpus-{slug}");
        let run = |args: &[&str]| {
            let started = Instant::now();
            let output = workspace.cargo(args);
            (output, started.elapsed())
        };
        let mut lint_args = lint.to_vec();
        lint_args.extend(["--package", &package]);
        if has_clippy {
            lint_args.extend(["--", "-D", "warnings"]);
        }
        let (linted, lint_time) = run(&lint_args);
        let (documented, doc_time) = run(&["doc", "--quiet", "--no-deps", "--package", &package]);
        let mut result = "ok".to_owned();
        for (what, output) in [(lint[0], &linted), ("doc", &documented)] {
            if !output.status.success() {
                let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
                failures.push(format!("{file}: cargo {what} failed:\n{stderr}"));
                result = "FAILED".to_owned();
            }
        }
        println!(
            "{file:<36} {operations:>6} {types:>6} {:>8.0}ms {:>8.1}s {:>8.1}s  {result}",
            elapsed.as_secs_f64() * 1000.0,
            lint_time.as_secs_f64(),
            doc_time.as_secs_f64()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rows.len() >= 15, "the corpus has {} documents", rows.len());
}
