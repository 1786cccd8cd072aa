//! `cargo xtask codegen [--check] [--config FILE] [--spec PATH] [--out DIR] [--crate-name NAME]`
//!
//! Regenerates the client crate as `codegen.toml` describes (by default `openapi.yaml` with
//! `openapi.overlay.yaml` into `generated-client/`). With `--check`, changes nothing and fails
//! when the crate on disk is not what the document generates. `--spec` without `--config`
//! generates a document on its own, with no overlays.

use std::path::PathBuf;
use std::process::ExitCode;

use generator::write;
use xtask::Job;

mod alloc;
mod bench;
mod stamp;

// The generator allocates many small token trees; mimalloc makes that about a quarter faster.
#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--config FILE] [--spec PATH] [--out DIR] [--crate-name NAME] [--crate-version VERSION] [--strict] [--force]\n       cargo xtask bench [--skip-compile] [--decode-only] [--instructions-only]";

/// How many more places a group of warnings of one cause names.
const PLACES_SHOWN: usize = 3;

struct Args {
    check: bool,
    force: bool,
    job: Job,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("codegen") => {}
        Some(other) => return Err(format!("unknown task `{other}`\n{USAGE}")),
        None => return Err(USAGE.to_owned()),
    }
    let mut check = false;
    let mut strict = false;
    let mut force = false;
    let mut config: Option<PathBuf> = None;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut name: Option<String> = None;
    let mut version: Option<String> = None;
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--check" => check = true,
            "--strict" => strict = true,
            "--force" => force = true,
            "--config" => config = Some(PathBuf::from(value("--config")?)),
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => name = Some(value("--crate-name")?),
            "--crate-version" => version = Some(value("--crate-version")?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let mut job = match (&config, &spec) {
        (Some(path), _) => Job::from_config_file(path)?,
        // A document given on its own is generated as it is, without the repository's overlays.
        (None, Some(spec)) => Job {
            spec: spec.clone(),
            overlays: Vec::new(),
            out: PathBuf::from("generated"),
            config: generator::Config::default(),
            config_file: None,
        },
        (None, None) => Job::from_repository()?,
    };
    if let Some(spec) = spec {
        job.spec = spec;
    }
    if let Some(out) = out {
        job.out = out;
    }
    if let Some(name) = name {
        job.config.crate_name = name;
    }
    if let Some(version) = version {
        job.config.crate_version = version;
    }
    if strict {
        job.config.strict = true;
    }
    Ok(Args { check, force, job })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => {
            let skip_compile = args.iter().any(|a| a == "--skip-compile");
            let decode_only = args.iter().any(|a| a == "--decode-only");
            let instructions_only = args.iter().any(|a| a == "--instructions-only");
            return match bench::bench(skip_compile, decode_only, instructions_only) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Some("bench-child") if args.len() == 4 => {
            let runs = args[3].parse().unwrap_or(5);
            return match bench::child(&args[1], std::path::Path::new(&args[2]), runs) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let Args { check, force, job } = match parse_args(args.into_iter()) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &job.config_file {
        println!("config: {}", file.display());
    }
    if !check && !force {
        if let Some(log) = stamp::unchanged(&job) {
            print!("{log}");
            println!(
                "{} is up to date: the document, overlays, configuration and generator are unchanged since the run that wrote it (nothing regenerated)",
                job.out.display()
            );
            return ExitCode::SUCCESS;
        }
    }
    let generated = match job.generate() {
        Ok(generated) => generated,
        Err(diags) => {
            eprintln!("error: {} cannot be generated:", job.spec.display());
            for line in diags.summary(PLACES_SHOWN).lines() {
                eprintln!("  {line}");
            }
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    // What the run says about the document, kept to be said again by a run that finds the
    // inputs unchanged (the change report is not: nothing changes then).
    let mut log = String::new();
    let mut say = |line: String, to_stderr: bool| {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
        log.push_str(&line);
        log.push('\n');
    };
    for applied in &generated.overlays {
        say(
            format!("overlay: {} ({})", applied.name, applied.title),
            false,
        );
        for (action, count) in &applied.actions {
            say(format!("  {count:>3} × {action}"), false);
        }
    }
    // Grouped by cause, degradations first, each group with its count and first places.
    for line in generated.warnings.summary(PLACES_SHOWN).lines() {
        say(format!("  {line}"), true);
    }
    say(generated.coverage.to_string(), false);
    match &generated.change_report {
        Some(report) => {
            let heading = if check {
                "What regenerating would change"
            } else {
                "What changed"
            };
            println!("\n{heading}:\n\n{report}");
        }
        None => println!(
            "no previous api-surface.json in {}: nothing to compare with",
            job.out.display()
        ),
    }
    let operations: usize = generated.api.paths.iter().map(|g| g.operations.len()).sum();
    if check {
        match write::check(&job.out, &generated.files) {
            Ok(drift) if drift.is_empty() => {
                println!(
                    "{} is up to date ({operations} operations)",
                    job.out.display()
                );
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                eprintln!("{} is stale:", job.out.display());
                for d in drift {
                    eprintln!("  {d}");
                }
                eprintln!("run `cargo xtask codegen` and commit the result");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: cannot compare with {}: {e}", job.out.display());
                ExitCode::FAILURE
            }
        }
    } else {
        match write::write_all(&job.out, &generated.files) {
            Ok(()) => {
                println!(
                    "generated {} from {}: {operations} operations, {} types, {} files, {} warnings",
                    job.out.display(),
                    job.spec.display(),
                    generated.api.types.len(),
                    generated.files.len(),
                    generated.warnings.iter().count(),
                );
                stamp::record(&job, &generated.files_read, &generated.files, &log);
                ExitCode::SUCCESS
            }
            Err(e) => {
                stamp::forget(&job.out);
                eprintln!(
                    "error: writing {} failed, the old crate is left as it was: {e}",
                    job.out.display()
                );
                ExitCode::FAILURE
            }
        }
    }
}
