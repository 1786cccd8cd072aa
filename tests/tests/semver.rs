//! The change report's verdict (breaking or not) agrees with `cargo-semver-checks` run on the
//! generated crates themselves, for pairs of documents that differ by one kind of change.
//!
//! `cargo-semver-checks` comes from crates.io: the test installs it into
//! `target/semver-checks` the first time (`SEMVER_CHECKS_BIN` can point elsewhere).

mod common;

use std::path::PathBuf;
use std::process::Command;

use generator::surface::{compare, Surface};

const TOOL_VERSION: &str = "0.51.0";

fn tool() -> PathBuf {
    if let Some(bin) = std::env::var_os("SEMVER_CHECKS_BIN") {
        return PathBuf::from(bin);
    }
    let root = xtask::workspace_root().join("target/semver-checks");
    let bin = root.join("bin/cargo-semver-checks");
    if bin.exists() {
        return bin;
    }
    eprintln!(
        "installing cargo-semver-checks {TOOL_VERSION} into {} (once)",
        root.display()
    );
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "install",
            "--locked",
            "--quiet",
            "cargo-semver-checks",
            "--version",
            TOOL_VERSION,
            "--root",
        ])
        .arg(&root)
        .status()
        .expect("cargo runs");
    assert!(
        status.success() && bin.exists(),
        "installing cargo-semver-checks failed"
    );
    bin
}

/// A small API: a list operation with a parameter, a response struct with an enum field, an
/// error response; `{extra}` lets a pair change one thing.
const BASE: &str = r#"
openapi: 3.0.3
info: { title: Shop, version: "1" }
servers: [{ url: "https://shop.example.com" }]
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: color, in: query, schema: { type: string } }
        - { name: size, in: query, schema: { type: integer } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/item' } }
        "404":
          description: none
components:
  schemas:
    item:
      type: object
      required: [id]
      properties:
        id: { type: string }
        price: { type: integer }
        status: { type: string, enum: [active, gone] }
        level: { type: integer, oneOf: [{ title: LOW, const: 0 }, { title: HIGH, const: 1 }] }
"#;

struct Pair {
    name: &'static str,
    new: String,
    /// What the change does to a caller, reasoned from Rust's rules for the generated items.
    breaking: bool,
}

fn pairs() -> Vec<Pair> {
    vec![
        // `Item` is `#[non_exhaustive]`: no caller writes it as a literal, so a new optional
        // field breaks no one.
        Pair {
            name: "optional field added",
            new: BASE.replace(
                "price: { type: integer }",
                "price: { type: integer }\n        note: { type: string }",
            ),
            breaking: false,
        },
        // String enums are `#[non_exhaustive]` with an `Other` variant.
        Pair {
            name: "enum value added",
            new: BASE.replace("enum: [active, gone]", "enum: [active, gone, paused]"),
            breaking: false,
        },
        // Named integers are a newtype with a constant per value: a new constant is a new
        // associated item; every integer decoded before as well.
        Pair {
            name: "named integer value added",
            new: BASE.replace(
                "{ title: HIGH, const: 1 }",
                "{ title: HIGH, const: 1 }, { title: TOP, const: 2 }",
            ),
            breaking: false,
        },
        // A caller naming `ItemLevel::HIGH` no longer compiles.
        Pair {
            name: "named integer value removed",
            new: BASE.replace(", { title: HIGH, const: 1 }", ""),
            breaking: true,
        },
        // The error enum is `#[non_exhaustive]`: a new error status is a new variant.
        Pair {
            name: "error status added",
            new: BASE.replace(
                "        \"404\":\n          description: none",
                "        \"404\":\n          description: none\n        \"409\":\n          description: conflict",
            ),
            breaking: false,
        },
        // The parameter struct loses a field and its setter.
        Pair {
            name: "parameter removed",
            new: BASE.replace("        - { name: size, in: query, schema: { type: integer } }\n", ""),
            breaking: true,
        },
        // `#[deprecated]` warns; it breaks nothing.
        Pair {
            name: "deprecation only",
            new: BASE
                .replace("price: { type: integer }", "price: { type: integer, deprecated: true }")
                .replace(
                    "- { name: size, in: query, schema: { type: integer } }",
                    "- { name: size, in: query, deprecated: true, schema: { type: integer } }",
                ),
            breaking: false,
        },
        // The parameter struct is `#[non_exhaustive]` with `Default`: a new optional
        // parameter is a new field and setter no caller can miss.
        Pair {
            name: "optional parameter added",
            new: BASE.replace(
                "        - { name: size, in: query, schema: { type: integer } }\n",
                "        - { name: size, in: query, schema: { type: integer } }\n        - { name: sort, in: query, schema: { type: string } }\n",
            ),
            breaking: false,
        },
        // A new method.
        Pair {
            name: "operation added",
            new: BASE.replace(
                "components:",
                "  /health:\n    get:\n      operationId: health\n      responses: { \"204\": { description: ok } }\ncomponents:",
            ),
            breaking: false,
        },
        // A field every value must now have: the constructor takes it.
        Pair {
            name: "required field added",
            new: BASE.replace("required: [id]", "required: [id, price]"),
            breaking: true,
        },
    ]
}

fn generate(text: &str) -> generator::GeneratedCrate {
    // A 1.x version, so that "breaking" means what it does after 1.0: a new major version.
    let config = generator::Config {
        crate_name: "shop-client".into(),
        crate_version: "1.0.0".into(),
        ..Default::default()
    };
    generator::generate(text, &config).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn the_change_report_agrees_with_cargo_semver_checks() {
    let tool = tool();
    let old = generate(BASE);
    // Two workspaces: a workspace holds one package of a name.
    let baseline = common::Workspace::new(&["shop-client"]);
    baseline.write_crate("shop-client", &old.files);
    let current = common::Workspace::new(&["shop-client"]);
    let mut verdicts = Vec::new();
    for pair in pairs() {
        let new = generate(&pair.new);
        let changes = compare(&Surface::of(&old.api), &Surface::of(&new.api));
        let report_breaking = changes.iter().any(|c| c.breaking);
        std::fs::remove_dir_all(current.path().join("shop-client")).ok();
        current.write_crate("shop-client", &new.files);
        let output = Command::new(&tool)
            .args(["semver-checks", "check-release", "--manifest-path"])
            .arg(current.path().join("shop-client/Cargo.toml"))
            .arg("--baseline-root")
            .arg(baseline.path().join("shop-client"))
            // Whether the change needs a new major version: minor-level findings (new items,
            // deprecations) are what a minor release may have.
            .args(["--release-type", "minor"])
            .current_dir(current.path())
            .env(
                "CARGO_TARGET_DIR",
                xtask::workspace_root().join("target/semver-checks/build"),
            )
            .output()
            .expect("cargo-semver-checks runs");
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // Success: no violation; a failure that says a major version is needed: breaking;
        // any other failure: it could not check.
        let tool_breaking = match output.status.success() {
            true => false,
            false if text.contains("semver requires new major version") => true,
            false => panic!(
                "{}: cargo-semver-checks could not check:\n{text}",
                pair.name
            ),
        };
        eprintln!(
            "{}: report {} / cargo-semver-checks {} (expected {})",
            pair.name,
            verdict(report_breaking),
            verdict(tool_breaking),
            verdict(pair.breaking)
        );
        verdicts.push((
            pair.name,
            report_breaking,
            tool_breaking,
            pair.breaking,
            changes,
            text,
        ));
    }
    let wrong: Vec<String> = verdicts
        .iter()
        .filter(|(_, report, tool, expected, _, _)| report != expected || tool != expected)
        .map(|(name, report, tool, expected, changes, text)| {
            format!(
                "{name}: report {}, cargo-semver-checks {}, expected {}\n  report: {changes:?}\n  tool: {text}",
                verdict(*report),
                verdict(*tool),
                verdict(*expected)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

fn verdict(breaking: bool) -> &'static str {
    if breaking {
        "breaking"
    } else {
        "non-breaking"
    }
}
