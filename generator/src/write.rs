//! Step 6: put a generated crate on disk, all files or none, or compare it with what is there.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Refuses any path that could leave the output directory.
fn checked_relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{path}`: not a plain relative path"),
        ))
    }
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".to_owned());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Writes `files` as the whole content of `out`: into a fresh directory beside it first, which
/// then replaces `out`. A failure before the swap leaves `out` as it was; files that are no
/// longer generated disappear with the old directory. Unchanged files keep their
/// modification time.
pub fn write_all(out: &Path, files: &BTreeMap<String, String>) -> io::Result<()> {
    let staging = sibling(out, "codegen-new");
    let old = sibling(out, "codegen-old");
    for stale in [&staging, &old] {
        if stale.exists() {
            fs::remove_dir_all(stale)?;
        }
    }
    let staged = (|| -> io::Result<()> {
        fs::create_dir_all(&staging)?;
        for (path, contents) in files {
            let target = staging.join(checked_relative(path)?);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            // A file whose bytes are unchanged is linked, not rewritten: it keeps its
            // modification time, so editors and build tools see only what changed.
            let existing = out.join(checked_relative(path)?);
            let same = fs::read(&existing).is_ok_and(|bytes| bytes == contents.as_bytes());
            if !(same && fs::hard_link(&existing, &target).is_ok()) {
                fs::write(&target, contents)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(out, &old)?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the old crate back.
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        return Err(e);
    }
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// One difference between the generated crate and the directory on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    Changed(String),
    Missing(String),
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Changed(p) => write!(f, "{p}: differs from what the document generates"),
            Drift::Missing(p) => write!(f, "{p}: would be generated but is missing"),
            Drift::Extra(p) => write!(f, "{p}: is no longer generated"),
        }
    }
}

/// Compares `files` with the content of `out` (line endings aside).
pub fn check(out: &Path, files: &BTreeMap<String, String>) -> io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for (path, contents) in files {
        let target = out.join(checked_relative(path)?);
        match fs::read_to_string(&target) {
            Ok(existing) if existing.replace("\r\n", "\n") == *contents => {}
            Ok(_) => drift.push(Drift::Changed(path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(path.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    if out.exists() {
        let mut on_disk = Vec::new();
        list_files(out, out, &mut on_disk)?;
        for path in on_disk {
            if !files.contains_key(&path) {
                drift.push(Drift::Extra(path));
            }
        }
    }
    Ok(drift)
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            list_files(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
