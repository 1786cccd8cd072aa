//! `cargo xtask bench` runs this against the crate generated from `http.yaml`: a download of
//! `MIB` mebibytes from a loopback server, through the generated client's `ByteStream`
//! (`generated`) or a hand-written reqwest chunk loop (`reqwest`), each in a process of its
//! own. Prints the milliseconds and this process's peak resident memory in KiB.

use std::time::Instant;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers every request with `mib` MiB of bytes, written 1 MiB at a time.
async fn serve(mib: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let chunk = vec![0x5au8; 1 << 20];
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let chunk = chunk.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {}\r\n\r\n",
                    mib << 20
                );
                socket.write_all(head.as_bytes()).await.unwrap();
                for _ in 0..mib {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args[1].as_str();
    let mib: usize = args[2].parse().unwrap();
    let url = serve(mib).await;
    let started = Instant::now();
    let mut total = 0u64;
    match mode {
        "generated" => {
            let client = http_client::Client::builder().base_url(&url).build().unwrap();
            let mut body = client.download_file("big").await.unwrap();
            while let Some(chunk) = body.next().await {
                total += chunk.unwrap().len() as u64;
            }
        }
        "reqwest" => {
            // The crate's default TLS provider, as the generated client installs it.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let response = reqwest::Client::new().get(format!("{url}/files/big")).send().await.unwrap();
            let mut body = response.bytes_stream();
            while let Some(chunk) = body.next().await {
                total += chunk.unwrap().len() as u64;
            }
        }
        other => panic!("unknown mode {other}"),
    }
    assert_eq!(total, (mib as u64) << 20);
    println!("{} {}", started.elapsed().as_millis(), peak_kib());
}
