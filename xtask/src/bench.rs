//! `cargo xtask bench`: where the generator and the generated client stand, in one run, as a
//! table of figures and ratios against baselines measured in the same run.
//!
//! - Generator: wall time and peak memory to generate each document, next to the floor of
//!   parsing the same file into a `serde_json::Value`; instructions counted for the parse, the
//!   model alone (load and lower) and the whole generation; and the whole `codegen` command.
//! - Generated code: `cargo check` and `cargo build --release` of the crate generated from
//!   GitHub's document (dependencies already built), and lines of code per operation.
//! - Client: criterion's figures from `tests/benches/client.rs`; and a 1 GiB download through
//!   a generated client's `ByteStream`, next to a hand-written reqwest chunk loop.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use xtask::workspace_root;

const DOCUMENTS: &[&str] = &[
    "openapi.yaml",
    "../shared/specs/nexus.json",
    "../shared/specs/discord.json",
    "../shared/specs/api.github.com.json",
    "../shared/specs/wild/sentry-api.json",
];

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let output = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Peak resident memory of this process, in KiB (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time of this process so far (all its threads, user and system), from
/// `/proc/self/stat` (Linux; in clock ticks of 1/100 s).
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = s.rsplit_once(')')?.1.to_owned();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: u64 = fields.get(11)?.parse().ok()?;
            let stime: u64 = fields.get(12)?.parse().ok()?;
            Some(utime + stime)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// In a child process of its own (so peak memory is this work's alone): parse or generate
/// `spec` `runs` times; print the median milliseconds, the peak KiB and the mean CPU
/// milliseconds of a run (generation formats files on all cores: its CPU time is what the
/// parse floor is measured against).
pub fn child(mode: &str, spec: &Path, runs: usize) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut times = Vec::new();
    let cpu_before = cpu_time();
    for _ in 0..runs {
        let started = Instant::now();
        match mode {
            "parse" => {
                // The generator's own loader: serde_json for JSON, the YAML 1.2 parser for YAML.
                let value = generator::load::parse_document(&text).map_err(|e| e.to_string())?;
                std::hint::black_box(value);
            }
            "generate" => {
                let generated = generator::generate(&text, &generator::Config::default())
                    .map_err(|d| d.to_string())?;
                std::hint::black_box(generated);
            }
            // Generation up to the model, without emitting or formatting a file.
            "model" => {
                let model = generator::build_model(&text).map_err(|d| d.to_string())?;
                std::hint::black_box(model);
            }
            other => return Err(format!("unknown mode {other}")),
        }
        times.push(started.elapsed());
    }
    let cpu = cpu_time().saturating_sub(cpu_before);
    times.sort();
    println!(
        "{:.3} {} {:.3}",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        peak_kib(),
        cpu.as_secs_f64() * 1000.0 / runs as f64
    );
    Ok(())
}

fn measure(exe: &Path, mode: &str, spec: &Path, runs: usize) -> Result<(f64, u64, f64), String> {
    let out = run(Command::new(exe)
        .args(["bench-child", mode])
        .arg(spec)
        .arg(runs.to_string()))?;
    let mut parts = out.split_whitespace();
    let ms = parts.next().and_then(|p| p.parse().ok()).ok_or("no time")?;
    let kib = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or("no memory")?;
    let cpu = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or("no CPU time")?;
    Ok((ms, kib, cpu))
}

/// Instructions executed by one `bench-child` run (the whole process, every thread), counted
/// by valgrind's callgrind: unlike time, the count does not move with the load of a shared
/// machine. `None` when valgrind is not installed.
fn instructions(exe: &Path, mode: &str, spec: &Path) -> Option<u64> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(["bench-child", mode])
        .arg(spec)
        .arg("1")
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    // `==PID== Collected : N`
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|l| l.split_once("Collected :")?.1.trim().parse().ok())
}

/// The table of instructions per document, generation against the parse floor, and how much
/// of it the model takes (loading and lowering the document), the rest being the files'
/// emitting and formatting.
fn instruction_table(root: &Path, exe: &Path) -> String {
    if Command::new("valgrind").arg("--version").output().is_err() {
        return "\nInstruction counts: valgrind is not installed (`apt-get install valgrind`), so only time is measured.\n".to_owned();
    }
    println!("counting instructions (valgrind)...");
    let mut out = String::from(
        "\n### Instructions (callgrind, one run each, whole process; steady under load)\n\n\
         The model is the document loaded and lowered (`build_model`), no file emitted; the rest\n\
         of generation is emitting the files' tokens and formatting them. The floor grows with\n\
         the document's bytes and generation with the crate's: `out / in` is the generated Rust\n\
         (the copied runtime left out) against the document's size, and the last column what\n\
         generation costs for each byte of it.\n\n\
         | document | parse floor | model | ratio | generate | ratio | of it, files | out / in | per byte out |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let ratio = |n: u64, floor: u64| n as f64 / floor.max(1) as f64;
    let (mut parse_all, mut model_all, mut generate_all) = (0u64, 0u64, 0u64);
    let (mut in_all, mut out_all) = (0u64, 0u64);
    for doc in DOCUMENTS {
        let spec = root.join(doc);
        let name = Path::new(doc).file_name().unwrap().to_string_lossy();
        match (
            instructions(exe, "parse", &spec),
            instructions(exe, "model", &spec),
            instructions(exe, "generate", &spec),
            sizes(&spec),
        ) {
            (Some(parse), Some(model), Some(generate), Some((bytes_in, bytes_out))) => {
                parse_all += parse;
                model_all += model;
                generate_all += generate;
                in_all += bytes_in;
                out_all += bytes_out;
                out.push_str(&format!(
                    "| {name} | {:.0}M | {:.0}M | {:.1}× | {:.0}M | {:.1}× | {:.0}% | {:.0} KB / {:.0} KB | {:.0} |\n",
                    parse as f64 / 1e6,
                    model as f64 / 1e6,
                    ratio(model, parse),
                    generate as f64 / 1e6,
                    ratio(generate, parse),
                    100.0 * generate.saturating_sub(model) as f64 / generate.max(1) as f64,
                    bytes_out as f64 / 1e3,
                    bytes_in as f64 / 1e3,
                    ratio(generate, bytes_out),
                ));
            }
            _ => out.push_str(&format!("| {name} | not counted | | | | | | | |\n")),
        }
    }
    out.push_str(&format!(
        "| **all** | {:.0}M | {:.0}M | {:.1}× | {:.0}M | **{:.1}×** (target ≤ 3×) | {:.0}% | {:.0} KB / {:.0} KB | {:.0} |\n",
        parse_all as f64 / 1e6,
        model_all as f64 / 1e6,
        ratio(model_all, parse_all),
        generate_all as f64 / 1e6,
        ratio(generate_all, parse_all),
        100.0 * generate_all.saturating_sub(model_all) as f64 / generate_all.max(1) as f64,
        out_all as f64 / 1e3,
        in_all as f64 / 1e3,
        ratio(generate_all, out_all),
    ));
    out
}

/// The document's size and the size of the Rust it generates (its files under `src/` but
/// the runtime, which is copied as it is), in bytes.
fn sizes(spec: &Path) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(spec).ok()?;
    let generated = generator::generate(&text, &generator::Config::default()).ok()?;
    let out = generated
        .files
        .iter()
        .filter(|(path, _)| {
            path.starts_with("src/") && path.ends_with(".rs") && !path.starts_with("src/runtime/")
        })
        .map(|(_, text)| text.len() as u64)
        .sum();
    Some((text.len() as u64, out))
}

fn median_of(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn criterion_mean_ns(group: &str, name: &str) -> Option<f64> {
    let path = workspace_root().join(format!(
        "target/criterion/{group}/{name}/new/estimates.json"
    ));
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["mean"]["point_estimate"].as_f64()
}

fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs")
                && !p.to_string_lossy().contains("/runtime/")
            {
                total += std::fs::read_to_string(&p)
                    .map(|t| t.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    total
}

pub fn bench(skip_compile: bool, decode_only: bool, instructions_only: bool) -> Result<(), String> {
    let root = workspace_root();
    if decode_only {
        println!("{}", unknown_fields_decode(&root)?);
        return Ok(());
    }
    println!("building the generator in release mode...");
    run(cargo()
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "-p", "xtask"]))?;
    // Where cargo put it: a `CARGO_TARGET_DIR` shared between clones is honoured.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || root.join("target"),
        |dir| root.join(std::path::PathBuf::from(dir)),
    );
    let exe = target.join("release/xtask");
    if !exe.is_file() {
        return Err(format!("the release build is not at {}", exe.display()));
    }
    if instructions_only {
        println!("{}", instruction_table(&root, &exe));
        return Ok(());
    }

    let mut report = String::new();
    report
        .push_str("\n## Generator (release build; median of 5 runs, each in its own process)\n\n");
    report.push_str("The parse floor is one thread reading the document into a JSON value; generation\nformats files on every core, so it is given as elapsed time and as CPU time (all threads).\n\n");
    report.push_str("| document | size | parse floor | generate | ratio | generate CPU | ratio | parse peak | generate peak | ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut total_parse = 0.0;
    let mut total_generate = 0.0;
    let mut total_cpu = 0.0;
    for doc in DOCUMENTS {
        let spec = root.join(doc);
        if !spec.exists() {
            report.push_str(&format!("| {doc} | missing | | | | | | |\n"));
            continue;
        }
        let size = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
        let (parse_ms, parse_kib, _) = measure(&exe, "parse", &spec, 5)?;
        let (gen_ms, gen_kib, gen_cpu) = measure(&exe, "generate", &spec, 5)?;
        total_parse += parse_ms;
        total_generate += gen_ms;
        total_cpu += gen_cpu;
        report.push_str(&format!(
            "| {} | {:.0} KB | {parse_ms:.1} ms | {gen_ms:.1} ms | {:.2}× | {gen_cpu:.0} ms | {:.2}× | {:.1} MB | {:.1} MB | {:.2}× |\n",
            Path::new(doc).file_name().unwrap().to_string_lossy(),
            size as f64 / 1000.0,
            gen_ms / parse_ms,
            gen_cpu / parse_ms,
            parse_kib as f64 / 1024.0,
            gen_kib as f64 / 1024.0,
            gen_kib as f64 / parse_kib.max(1) as f64,
        ));
    }
    report.push_str(&format!(
        "| **all** | | {total_parse:.1} ms | {total_generate:.1} ms | **{:.2}×** | {total_cpu:.0} ms | **{:.2}×** (target ≤ 3×) | | | |\n",
        total_generate / total_parse,
        total_cpu / total_parse
    ));
    report.push_str(&instruction_table(&root, &exe));

    // The whole command, as a user runs it: config, overlays, generation, change report, write
    // (`--force`: every run generates), and a run whose inputs are unchanged.
    let out = root.join("target/bench/codegen-out");
    let whole = |force: bool| -> Result<Duration, String> {
        let mut runs = Vec::new();
        for _ in 0..7 {
            let started = Instant::now();
            let mut cmd = Command::new(&exe);
            cmd.current_dir(&root)
                .args(["codegen", "--config"])
                .arg(root.join("codegen.toml"))
                .arg("--out")
                .arg(&out);
            if force {
                cmd.arg("--force");
            }
            run(&mut cmd)?;
            runs.push(started.elapsed());
        }
        Ok(median_of(runs))
    };
    let generating = whole(true)?;
    let unchanged = whole(false)?;
    report.push_str(&format!(
        "\n`cargo xtask codegen` for openapi.yaml, once built (the release binary, median of 7): **{:.0} ms** generating (target < 100 ms); **{:.0} ms** when its inputs are unchanged ({:.2}×)\n",
        generating.as_secs_f64() * 1000.0,
        unchanged.as_secs_f64() * 1000.0,
        unchanged.as_secs_f64() / generating.as_secs_f64(),
    ));

    if !skip_compile {
        report.push_str(&generated_code(&root, &exe)?);
        report.push_str(&feature_builds(&root, &exe)?);
    }
    report.push_str(&unknown_fields_decode(&root)?);

    println!("running the client benchmarks (criterion)...");
    run(cargo().current_dir(&root).args([
        "bench",
        "--quiet",
        "-p",
        "codegen-tests",
        "--bench",
        "client",
        "--",
        "--noplot",
    ]))?;
    let generated = criterion_mean_ns("list_customers_requests", "generated_client");
    let hand = criterion_mean_ns("list_customers_requests", "hand_written_reqwest");
    let typed = criterion_mean_ns("decode_1000_customers", "generated_types");
    let value = criterion_mean_ns("decode_1000_customers", "serde_json_value");
    report.push_str("\n## Client (criterion, in process, loopback server)\n\n| measure | generated | baseline | ratio |\n|---|---:|---:|---:|\n");
    if let (Some(g), Some(h)) = (generated, hand) {
        report.push_str(&format!(
            "| list_customers requests/s (20 customers) | {:.0} | {:.0} (hand-written reqwest + serde) | **{:.2}** (target ≥ 0.95) |\n",
            1e9 / g,
            1e9 / h,
            h / g
        ));
    }
    if let (Some(t), Some(v)) = (typed, value) {
        let bytes = criterion_page_bytes(&root);
        report.push_str(&format!(
            "| decode 1,000 customers, MB/s | {:.0} | {:.0} (`serde_json::Value`) | **{:.2}** (target > 1) |\n",
            bytes / t * 1e9 / 1e6,
            bytes / v * 1e9 / 1e6,
            v / t
        ));
    }
    report.push_str(&download(&root, &exe)?);
    println!("{report}");
    Ok(())
}

/// A 1 GiB download from a loopback server through the crate generated from
/// `tests/http/http.yaml` (its `ByteStream`), and through a hand-written reqwest chunk loop,
/// each in a release build and a process of its own: time and peak memory.
fn download(root: &Path, exe: &Path) -> Result<String, String> {
    const MIB: usize = 1024;
    let dir = root.join("target/bench/download");
    let krate = dir.join("http-client");
    run(Command::new(exe)
        .args(["codegen", "--spec"])
        .arg(root.join("tests/http/http.yaml"))
        .arg("--out")
        .arg(&krate)
        .args(["--crate-name", "http-client"]))?;
    let bench = dir.join("download-bench");
    std::fs::create_dir_all(bench.join("src")).map_err(|e| e.to_string())?;
    std::fs::copy(
        root.join("tests/http/download_bench.rs"),
        bench.join("src/main.rs"),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        bench.join("Cargo.toml"),
        "[package]\nname = \"download-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         http-client = { path = \"../http-client\" }\nfutures-util = \"0.3\"\n\
         rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\"] }\n\
         reqwest = { version = \"0.13\", default-features = false, features = [\"stream\"] }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\"] }\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"http-client\", \"download-bench\"]\n",
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    let target = root.join("target/bench/download-target");
    println!("building the download benchmark...");
    run(cargo()
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--release", "--quiet"]))?;
    let program = target.join("release/download-bench");
    let measure = |mode: &str| -> Result<(f64, f64), String> {
        let out = run(Command::new(&program).args([mode, &MIB.to_string()]))?;
        let mut parts = out
            .split_whitespace()
            .map(|p| p.parse::<f64>().unwrap_or(0.0));
        Ok((
            parts.next().unwrap_or(0.0),
            parts.next().unwrap_or(0.0) / 1024.0,
        ))
    };
    let (generated_ms, generated_mb) = measure("generated")?;
    let (reqwest_ms, reqwest_mb) = measure("reqwest")?;
    let mb_s = |ms: f64| (MIB as f64 * 1.048576) / (ms / 1000.0);
    Ok(format!(
        "\n## Streamed download: {MIB} MiB from a loopback server (release builds, a process each)\n\n\
         | measure | generated client (`ByteStream`) | hand-written reqwest chunk loop | ratio |\n|---|---:|---:|---:|\n\
         | peak memory of the process | {generated_mb:.1} MB | {reqwest_mb:.1} MB | **{:.2}** (flat: far below the {MIB} MiB body) |\n\
         | throughput | {:.0} MB/s | {:.0} MB/s | **{:.2}** |\n",
        generated_mb / reqwest_mb.max(0.1),
        mb_s(generated_ms),
        mb_s(reqwest_ms),
        mb_s(generated_ms) / mb_s(reqwest_ms),
    ))
}

fn criterion_page_bytes(root: &Path) -> f64 {
    let path =
        root.join("target/criterion/decode_1000_customers/generated_types/new/benchmark.json");
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["throughput"]["Bytes"].as_f64())
        .unwrap_or(0.0)
}

/// The crate generated from `spec` as `<name>-client` in a workspace of its own under
/// `target/bench/<name>` with the project's lockfile: the workspace, the crate, and the
/// target directory to build it in.
fn bench_workspace(
    root: &Path,
    exe: &Path,
    spec: &Path,
    name: &str,
) -> Result<(PathBuf, PathBuf, PathBuf), String> {
    let dir: PathBuf = root.join("target/bench").join(name);
    let krate = dir.join("client");
    run(Command::new(exe)
        .args(["codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(&krate)
        .args(["--crate-name", &format!("{name}-client")]))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"client\"]\n",
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    Ok((dir, krate, root.join(format!("target/bench/{name}-target"))))
}

/// Compile times of the crate generated from GitHub's document, dependencies built first.
fn generated_code(root: &Path, exe: &Path) -> Result<String, String> {
    let spec = root.join("../shared/specs/api.github.com.json");
    if !spec.exists() {
        return Ok("\n(GitHub's document is missing: no compile figures)\n".into());
    }
    let (dir, krate, target) = bench_workspace(root, exe, &spec, "github")?;
    let timed = |args: &[&str]| -> Result<Duration, String> {
        // Touch the crate so that only it is rebuilt.
        let lib = krate.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, text).map_err(|e| e.to_string())?;
        let started = Instant::now();
        run(cargo()
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .args(args))?;
        Ok(started.elapsed())
    };
    println!("building the GitHub client's dependencies...");
    timed(&["check", "--quiet"])?;
    timed(&["build", "--release", "--quiet"])?;
    println!("timing the GitHub client itself...");
    let check = timed(&["check", "--quiet"])?;
    let release = timed(&["build", "--release", "--quiet"])?;
    let lines = rust_lines(&krate.join("src"));
    let text = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    let generated =
        generator::generate(&text, &generator::Config::default()).map_err(|d| d.to_string())?;
    let operations: usize = generated.api.paths.iter().map(|g| g.operations.len()).sum();
    Ok(format!(
        "\n## Generated code: GitHub's document ({operations} operations, {} types)\n\n| measure | figure |\n|---|---:|\n| `cargo check` of the crate (dependencies built) | {:.1} s |\n| `cargo build --release` of the crate (dependencies built) | {:.1} s |\n| generated lines (runtime excluded) | {lines} |\n| lines per operation (types included) | {:.0} |\n",
        generated.api.types.len(),
        check.as_secs_f64(),
        release.as_secs_f64(),
        lines as f64 / operations as f64
    ))
}

/// `cargo check` of the crate generated from the largest `wild/` document (Sentry's), with
/// every feature and with one group's feature (the largest group, and a median one), each
/// with its wall time and the peak memory of the compiler (`/usr/bin/time`), dependencies
/// built first.
fn feature_builds(root: &Path, exe: &Path) -> Result<String, String> {
    let spec = root.join("../shared/specs/wild/sentry-api.json");
    if !spec.exists() {
        return Ok("\n(Sentry's document is missing: no feature figures)\n".into());
    }
    let (dir, krate, target) = bench_workspace(root, exe, &spec, "sentry")?;
    let text = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    let generated =
        generator::generate(&text, &generator::Config::default()).map_err(|d| d.to_string())?;
    let mut groups = generated.api.features.clone();
    groups.sort_by_key(|f| std::cmp::Reverse(f.operations));
    let (Some(largest), Some(median)) = (groups.first(), groups.get(groups.len() / 2)) else {
        return Ok("\n(Sentry's document has no groups of operations)\n".into());
    };
    let operations: usize = generated.api.paths.iter().map(|g| g.operations.len()).sum();
    let timed = |features: Option<&str>| -> Result<(f64, f64), String> {
        let lib = krate.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, text).map_err(|e| e.to_string())?;
        let mut cmd = Command::new("/usr/bin/time");
        cmd.args(["-f", "%e %M"])
            .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target);
        if let Some(features) = features {
            cmd.args(["--no-default-features", "--features"])
                .arg(format!("tls-ring,{features}"));
        }
        let output = cmd.output().map_err(|e| format!("/usr/bin/time: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!("cargo check failed: {stderr}"));
        }
        let last = stderr.lines().last().unwrap_or_default();
        let mut parts = last.split_whitespace();
        let secs = parts.next().and_then(|p| p.parse().ok()).ok_or("no time")?;
        let kib: f64 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or("no memory")?;
        Ok((secs, kib / 1024.0))
    };
    println!("building the Sentry client's dependencies...");
    timed(None)?;
    println!("timing the Sentry client with all and with one feature...");
    let (full_s, full_mb) = timed(None)?;
    let (large_s, large_mb) = timed(Some(&largest.name))?;
    let (median_s, median_mb) = timed(Some(&median.name))?;
    let lines = rust_lines(&krate.join("src"));
    Ok(format!(
        "\n## Features: Sentry's document ({operations} operations, {} types, {} features, {lines} generated lines, {:.0} per operation)\n\n\
         | `cargo check` (dependencies built) | time | ratio | compiler peak | ratio |\n|---|---:|---:|---:|---:|\n\
         | all features | {full_s:.1} s | 1.00× | {full_mb:.0} MB | 1.00× |\n\
         | largest group only: `{}` ({} operations) | {large_s:.1} s | {:.2}× | {large_mb:.0} MB | {:.2}× |\n\
         | a median group only: `{}` ({} operations) | {median_s:.1} s | {:.2}× (target < 0.20×) | {median_mb:.0} MB | {:.2}× |\n",
        generated.api.types.len(),
        groups.len(),
        lines as f64 / operations as f64,
        largest.name,
        largest.operations,
        large_s / full_s,
        large_mb / full_mb,
        median.name,
        median.operations,
        median_s / full_s,
        median_mb / full_mb,
    ))
}

/// Decode time of a 1,000-customer page into the Kajabi types generated with
/// `unknown_fields = "keep"` and with `"ignore"` (release builds, one program, runs
/// interleaved).
fn unknown_fields_decode(root: &Path) -> Result<String, String> {
    use generator::config::UnknownFields;
    let dir = root.join("target/bench/decode");
    for (name, setting) in [
        ("keep", UnknownFields::Keep),
        ("ignore", UnknownFields::Ignore),
    ] {
        let mut job = xtask::Job::from_repository()?;
        job.config.unknown_fields = setting;
        job.config.crate_name = format!("kajabi-{name}");
        let generated = job.generate().map_err(|d| d.to_string())?;
        generator::write::write_all(&dir.join(name), &generated.files)
            .map_err(|e| e.to_string())?;
    }
    let bench = dir.join("decode-bench");
    std::fs::create_dir_all(bench.join("src")).map_err(|e| e.to_string())?;
    std::fs::copy(
        root.join("tests/decode/decode_bench.rs"),
        bench.join("src/main.rs"),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        bench.join("Cargo.toml"),
        "[package]\nname = \"decode-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         kajabi-keep = { path = \"../keep\" }\nkajabi-ignore = { path = \"../ignore\" }\nserde_json = \"1\"\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"keep\", \"ignore\", \"decode-bench\"]\n",
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    let target = root.join("target/bench/decode-target");
    println!("building the decode benchmark...");
    run(cargo()
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--release", "--quiet"]))?;
    let out = run(&mut Command::new(target.join("release/decode-bench")))?;
    let figures: Vec<f64> = out
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    let [keep, ignore, bytes] = figures[..] else {
        return Err(format!("decode-bench printed `{out}`"));
    };
    let mb_s = |ns: f64| bytes / ns * 1000.0;
    Ok(format!(
        "\n## Unknown properties: decoding a 1,000-customer page ({:.0} KB)\n\n\
         | `unknown_fields` | per page | throughput | ratio |\n|---|---:|---:|---:|\n\
         | `keep` (an `additional_properties` map in every struct) | {:.2} ms | {:.0} MB/s | 1.00× |\n\
         | `ignore` (the default) | {:.2} ms | {:.0} MB/s | **{:.2}×** the time |\n",
        bytes / 1000.0,
        keep / 1e6,
        mb_s(keep),
        ignore / 1e6,
        mb_s(ignore),
        ignore / keep,
    ))
}
