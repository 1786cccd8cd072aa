//! Every real-world document that the corpus manifest lists (`../shared/specs/MANIFEST.tsv`,
//! or `CODEGEN_CORPUS_DIR`; the root file of a split document) generates a crate with all
//! the operations the manifest counts, and every crate passes `cargo clippy` and `cargo doc`
//! with warnings denied (`cargo check` where clippy is not installed, said loudly). Prints,
//! per document: operations generated fully, degraded and left out, types, generation time,
//! lint and doc time, result; then the warnings of each by cause.

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

/// The documents `MANIFEST.tsv` lists (the root file of a split document), with the number of
/// operations the manifest counts for each; new rows are picked up as they are added.
fn documents(dir: &Path) -> Vec<(String, PathBuf, usize)> {
    let manifest =
        std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("the corpus has MANIFEST.tsv");
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("MANIFEST.tsv has no `{name}` column"))
    };
    let (file, operations) = (column("file"), column("operations"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let name = cells[file].to_owned();
            let count = cells[operations]
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("MANIFEST.tsv: `{line}` has no operation count"));
            let path = dir.join(&name);
            (name, path, count)
        })
        .collect()
}

/// The causes of a run's warnings, most frequent first: `12× cause; 3× cause`.
fn causes(warnings: &generator::diagnostics::Diagnostics) -> String {
    let groups = warnings.grouped();
    let shown: Vec<String> = groups
        .iter()
        .take(3)
        .map(|g| {
            let cause: String = g.cause.chars().take(60).collect();
            format!(
                "{}×{} {cause}",
                g.items.len(),
                if g.degraded { " degraded:" } else { "" }
            )
        })
        .collect();
    let rest = groups.len().saturating_sub(3);
    let mut text = shown.join("; ");
    if rest > 0 {
        text.push_str(&format!("; {rest} more causes"));
    }
    text
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
    let mut notes = Vec::new();
    for (file, doc, declared) in documents(&dir) {
        let slug: String = file
            .rsplit_once('.')
            .map(|(stem, _)| stem)
            .unwrap_or(&file)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let text =
            std::fs::read_to_string(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
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
                let operations: usize =
                    generated.api.paths.iter().map(|g| g.operations.len()).sum();
                if operations != declared {
                    failures.push(format!(
                        "{file}: {operations} of {declared} operations generated\n{}",
                        generated.warnings.summary(3)
                    ));
                }
                let c = &generated.coverage;
                let ops = format!("{}/{}/{}", c.full, c.degraded, c.skipped);
                notes.push(format!(
                    "{file}: {} warnings: {}",
                    generated.warnings.len(),
                    causes(&generated.warnings)
                ));
                crates.push((slug.clone(), generated.files));
                rows.push((file, ops, generated.api.types.len(), elapsed, slug));
            }
            Err(diags) => {
                failures.push(format!("{file}: does not generate:\n{}", diags.summary(3)))
            }
        }
    }
    let members: Vec<&str> = crates.iter().map(|(slug, _)| slug.as_str()).collect();
    let workspace = common::Workspace::new(&members);
    for (slug, files) in &crates {
        workspace.write_crate(slug, files);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let has_clippy = Command::new(&cargo)
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_clippy {
        let message = "CLIPPY IS NOT INSTALLED (rustup component add clippy): the corpus crates get `cargo check` only";
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("\n!!! {message} !!!\n");
    }
    let lint: &[&str] = if has_clippy {
        &["clippy", "--quiet"]
    } else {
        &["check", "--quiet"]
    };
    println!(
        "\n{:<44} {:>12} {:>6} {:>9} {:>9} {:>9}  result",
        "document", "ops f/d/s", "types", "generate", lint[0], "doc"
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
            "{file:<44} {operations:>12} {types:>6} {:>8.0}ms {:>8.1}s {:>8.1}s  {result}",
            elapsed.as_secs_f64() * 1000.0,
            lint_time.as_secs_f64(),
            doc_time.as_secs_f64()
        );
    }
    println!("\nwarnings by cause (f/d/s: operations generated fully, degraded, left out):");
    for note in &notes {
        println!("  {note}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rows.len() >= 26, "the corpus has {} documents", rows.len());
}
