//! The project's own codegen job, shared by `cargo xtask` and the tests so that both
//! generate the same crate from the same document.

use std::path::{Path, PathBuf};

use generator::Config;

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// What `cargo xtask codegen` does without arguments.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub config: Config,
}

impl Default for Job {
    fn default() -> Self {
        let root = workspace_root();
        Self {
            spec: root.join("openapi.yaml"),
            out: root.join("generated-client"),
            config: Config {
                crate_name: "kajabi-client".to_owned(),
                crate_version: "0.1.0".to_owned(),
            },
        }
    }
}
