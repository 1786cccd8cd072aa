//! A temporary Cargo workspace for generated crates. Every test builds in the shared
//! `target/corpus` with warnings denied, so the crates' dependencies are compiled once.

#![allow(dead_code)] // Not every test uses every helper.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace of these member directories, with the project's lockfile, so that the
    /// generated crates build with the dependency versions the project pins.
    pub fn new(members: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                list.join(", ")
            ),
        )
        .unwrap();
        let _ = std::fs::copy(
            xtask::workspace_root().join("Cargo.lock"),
            dir.path().join("Cargo.lock"),
        );
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a generated crate as member `name`.
    pub fn write_crate(&self, name: &str, files: &BTreeMap<String, String>) {
        generator::write::write_all(&self.path().join(name), files).unwrap();
    }

    /// Runs cargo here, warnings denied (also by rustdoc).
    pub fn cargo(&self, args: &[&str]) -> Output {
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(self.path())
            .env(
                "CARGO_TARGET_DIR",
                xtask::workspace_root().join("target/corpus"),
            )
            .env("RUSTFLAGS", "-Dwarnings")
            .env("RUSTDOCFLAGS", "-Dwarnings")
            .output()
            .expect("cargo runs")
    }
}

/// The id of the generated type of that Rust name, for comparing model types.
pub fn type_id(api: &generator::model::Api, name: &str) -> generator::model::TypeId {
    let def = api.types.named(name).unwrap_or_else(|| {
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        panic!("no type {name} among {names:?}")
    });
    def.id
}
