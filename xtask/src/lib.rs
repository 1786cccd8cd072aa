//! The project's codegen job, shared by `cargo xtask` and the tests so that both generate the
//! same crate from the same document, overlays and configuration (`codegen.toml`).

use std::path::{Path, PathBuf};

use generator::config::ConfigFile;
use generator::diagnostics::Diagnostics;
use generator::overlay::OverlaySource;
use generator::{Config, GeneratedCrate};

/// The repository root, found when the program runs (never a path compiled into it: with a
/// shared `CARGO_TARGET_DIR`, a binary built in one clone may be run from another): the
/// nearest directory holding a `Cargo.toml` with a `[workspace]` table, above the package
/// cargo runs (`CARGO_MANIFEST_DIR`, which `cargo run` and `cargo test` set) or else above
/// the current directory.
pub fn workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    find_workspace(&start).unwrap_or(start)
}

fn find_workspace(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest
            .lines()
            .any(|line| line.trim() == "[workspace]")
            .then(|| dir.to_path_buf())
    })
}

/// What `cargo xtask codegen` does: a document, overlays, a configuration, an output directory.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    pub overlays: Vec<PathBuf>,
    pub out: PathBuf,
    pub config: Config,
    /// The configuration file the job came from, if any.
    pub config_file: Option<PathBuf>,
}

impl Job {
    /// The job `codegen.toml` at the repository root describes.
    pub fn from_repository() -> Result<Job, String> {
        Self::from_config_file(&workspace_root().join("codegen.toml"))
    }

    /// The job a configuration file describes; its paths are relative to the file.
    pub fn from_config_file(path: &Path) -> Result<Job, String> {
        let file = ConfigFile::load(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        Ok(Job {
            spec: base.join(&file.spec),
            overlays: file.overlays.iter().map(|o| base.join(o)).collect(),
            out: base.join(&file.out),
            config: file
                .config()
                .map_err(|e| format!("{}: {e}", path.display()))?,
            config_file: Some(path.to_path_buf()),
        })
    }

    /// Reads the document and overlays and generates the crate in memory, with the report of
    /// what changed since the crate in `out`.
    pub fn generate(&self) -> Result<GeneratedCrate, Diagnostics> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|e| {
                let mut d = Diagnostics::default();
                d.error(path.display().to_string(), format!("cannot read: {e}"));
                d
            })
        };
        let text = read(&self.spec)?;
        let mut overlays = Vec::new();
        for path in &self.overlays {
            overlays.push(OverlaySource {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string()),
                text: read(path)?,
            });
        }
        let config = Config {
            document: Some(self.spec.clone()),
            ..self.config.clone()
        };
        let mut generated = generator::generate_with_overlays(&text, &overlays, &config)?;
        generated.add_change_report(&self.out);
        Ok(generated)
    }
}
