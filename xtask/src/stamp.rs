//! What the last `cargo xtask codegen` read and wrote, so that a run whose inputs are unchanged
//! returns at the cost of reading them instead of generating the crate again.
//!
//! A stamp records, for one output directory: a hash of every input (the document, the files
//! of a split document it pulled in, overlays, `codegen.toml`), the generator (the binary's
//! path, size and modification time: any rebuild changes it), the job's settings, a hash of
//! every file written, and what the run printed. The next run skips generation only when all
//! of these are the same and the output directory still holds exactly those files; anything
//! else (an edited input, a new generator, a hand-edited or deleted generated file) generates
//! as usual. `--check` never uses a stamp. Stamps live in the target directory, never in the
//! checked-in crate.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use xtask::Job;

const FORMAT: u64 = 1;

fn hash_bytes(bytes: &[u8]) -> String {
    // SipHash with fixed keys: stable across runs of one binary, which is all a stamp needs
    // (a new binary invalidates every stamp anyway).
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// A file's hash, or `absent`.
fn hash_file(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| hash_bytes(&bytes))
        .unwrap_or_else(|_| "absent".to_owned())
}

/// Where the stamp of the output directory `out` is kept.
fn stamp_path(out: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| xtask::workspace_root().join("target"));
    let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    target.join("codegen-stamps").join(format!(
        "{}.json",
        hash_bytes(out.to_string_lossy().as_bytes())
    ))
}

/// The generator and the job's settings: a different one of either generates anew.
fn identity(job: &Job) -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            let meta = std::fs::metadata(&exe).ok()?;
            let modified = meta
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some(format!(
                "{} {} {}",
                exe.display(),
                meta.len(),
                modified.as_nanos()
            ))
        })
        .unwrap_or_default();
    let settings = format!("{:?} {}", job.config, job.out.display());
    format!("{exe} {}", hash_bytes(settings.as_bytes()))
}

fn job_inputs(job: &Job, files_read: &[PathBuf]) -> Vec<PathBuf> {
    let mut inputs = vec![job.spec.clone()];
    inputs.extend(job.overlays.iter().cloned());
    inputs.extend(job.config_file.iter().cloned());
    inputs.extend(files_read.iter().cloned());
    inputs
}

/// The files in `out` with their hashes (what `write::check` would compare against).
fn output_hashes(out: &Path) -> Option<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    collect(out, out, &mut files).ok()?;
    Some(files)
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if entry.file_name() != "target" {
                collect(root, &path, files)?;
            }
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, hash_file(&path));
        }
    }
    Ok(())
}

/// What the last run printed, when its inputs, generator and settings are those of `job` and
/// the output directory holds exactly what it wrote; `None` means "generate".
pub fn unchanged(job: &Job) -> Option<String> {
    let text = std::fs::read_to_string(stamp_path(&job.out)).ok()?;
    let stamp: Value = serde_json::from_str(&text).ok()?;
    if stamp["format"] != FORMAT || stamp["identity"] != identity(job) {
        return None;
    }
    let inputs = stamp["inputs"].as_object()?;
    // The job's own inputs must all be recorded (a new overlay is a change).
    for input in job_inputs(job, &[]) {
        inputs.get(&input.display().to_string())?;
    }
    for (path, hash) in inputs {
        if hash.as_str()? != hash_file(Path::new(path)) {
            return None;
        }
    }
    let outputs = stamp["outputs"].as_object()?;
    let on_disk = output_hashes(&job.out)?;
    if on_disk.len() != outputs.len()
        || on_disk
            .iter()
            .any(|(path, hash)| outputs.get(path).and_then(Value::as_str) != Some(hash))
    {
        return None;
    }
    stamp["log"].as_str().map(str::to_owned)
}

/// Records a run that wrote `files` into `job.out` after reading `files_read` besides the
/// job's own inputs. A stamp that cannot be written only costs the next run its shortcut.
pub fn record(job: &Job, files_read: &[PathBuf], files: &BTreeMap<String, String>, log: &str) {
    let inputs: serde_json::Map<String, Value> = job_inputs(job, files_read)
        .iter()
        .map(|p| (p.display().to_string(), Value::String(hash_file(p))))
        .collect();
    let outputs: serde_json::Map<String, Value> = files
        .iter()
        .map(|(path, contents)| (path.clone(), Value::String(hash_bytes(contents.as_bytes()))))
        .collect();
    let stamp = json!({
        "format": FORMAT,
        "identity": identity(job),
        "inputs": inputs,
        "outputs": outputs,
        "log": log,
    });
    let path = stamp_path(&job.out);
    let written = path
        .parent()
        .map(std::fs::create_dir_all)
        .unwrap_or(Ok(()))
        .and_then(|()| std::fs::write(&path, stamp.to_string()));
    if let Err(e) = written {
        eprintln!(
            "note: cannot record {} ({e}); the next run generates again",
            path.display()
        );
    }
}

/// Forgets the stamp of `out` (after a failed write).
pub fn forget(out: &Path) {
    let _ = std::fs::remove_file(stamp_path(out));
}
