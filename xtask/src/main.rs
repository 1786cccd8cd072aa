//! `cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--crate-name NAME]`
//!
//! Regenerates the client crate from the OpenAPI document (by default `openapi.yaml` into
//! `generated-client/` as `kajabi-client`). With `--check`, changes nothing and fails when the
//! crate on disk is not what the document generates.

use std::path::PathBuf;
use std::process::ExitCode;

use generator::write;
use xtask::Job;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--crate-name NAME] [--crate-version VERSION]";

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
    config: generator::Config,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("codegen") => {}
        Some(other) => return Err(format!("unknown task `{other}`\n{USAGE}")),
        None => return Err(USAGE.to_owned()),
    }
    let job = Job::default();
    let mut parsed = Args {
        check: false,
        spec: job.spec,
        out: job.out,
        config: job.config,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = PathBuf::from(value("--spec")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--crate-name" => parsed.config.crate_name = value("--crate-name")?,
            "--crate-version" => parsed.config.crate_version = value("--crate-version")?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.spec.display());
            return ExitCode::FAILURE;
        }
    };
    let generated = match generator::generate(&text, &args.config) {
        Ok(generated) => generated,
        Err(diags) => {
            eprintln!("error: {} cannot be generated:", args.spec.display());
            for d in diags.iter() {
                eprintln!("  {d}");
            }
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    for w in generated.warnings.iter() {
        eprintln!("  {w}");
    }
    let operations: usize = generated.api.paths.iter().map(|g| g.operations.len()).sum();
    if args.check {
        match write::check(&args.out, &generated.files) {
            Ok(drift) if drift.is_empty() => {
                println!("{} is up to date ({operations} operations)", args.out.display());
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                eprintln!("{} is stale:", args.out.display());
                for d in drift {
                    eprintln!("  {d}");
                }
                eprintln!("run `cargo xtask codegen` and commit the result");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: cannot compare with {}: {e}", args.out.display());
                ExitCode::FAILURE
            }
        }
    } else {
        match write::write_all(&args.out, &generated.files) {
            Ok(()) => {
                println!(
                    "generated {} from {}: {operations} operations, {} types, {} files, {} warnings",
                    args.out.display(),
                    args.spec.display(),
                    generated.api.types.len(),
                    generated.files.len(),
                    generated.warnings.iter().count(),
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: writing {} failed, the old crate is left as it was: {e}", args.out.display());
                ExitCode::FAILURE
            }
        }
    }
}
