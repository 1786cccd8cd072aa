//! In-process client figures (criterion): requests per second of `list_customers` against a
//! loopback server, generated client against a hand-written reqwest + serde call doing the
//! same request and decode; and decode throughput of a 1,000-customer page into the generated
//! types against `serde_json::Value`. `cargo xtask bench` runs this and prints the ratios.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kajabi_client::types::CustomersIndexResponse;
use kajabi_client::{Client, ListCustomersParams};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn customer(i: usize) -> String {
    format!(
        r#"{{"id":"{i}","type":"customers","attributes":{{"name":"Customer Number {i}","email":"customer{i}@example.com","avatar":null,"external_user_id":"ext_{i}","public_bio":"Writes about things, number {i}.","public_location":"Springfield","public_website":"https://example.com/{i}","socials":{{"twitter":"@c{i}","facebook":null,"instagram":null}},"net_revenue":"{i}.50","sign_in_count":{i},"last_request_at":"2024-05-01T10:00:00Z","bounced_at":null,"created_at":"2021-01-01T00:00:00Z","updated_at":"2024-05-01T10:00:00Z"}},"relationships":{{"contact":{{"data":{{"id":"{i}","type":"contacts"}}}},"site":{{"data":{{"id":"123","type":"sites"}}}},"offers":{{"links":{{"self":"https://app.kajabi.com/api/v1/customers/{i}/relationships/offers"}}}},"products":{{"data":[{{"id":"789","type":"products"}}]}}}},"links":{{"contact":"https://app.kajabi.com/api/v1/contacts/{i}"}}}}"#
    )
}

fn page(n: usize) -> String {
    let data: Vec<String> = (0..n).map(customer).collect();
    format!(
        r#"{{"data":[{}],"links":{{"self":"https://app.kajabi.com/api/v1/customers?page[number]=1","next":"https://app.kajabi.com/api/v1/customers?page[number]=2"}},"meta":{{"total_pages":9,"total_count":{},"current_page":1}}}}"#,
        data.join(","),
        n * 9
    )
}

fn decode(c: &mut Criterion) {
    let body = page(1000);
    let mut group = c.benchmark_group("decode_1000_customers");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("generated_types", |b| {
        b.iter(|| serde_json::from_str::<CustomersIndexResponse>(black_box(&body)).unwrap())
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&body)).unwrap())
    });
    group.finish();
}

/// A keep-alive HTTP/1.1 server answering every request with the same page.
async fn serve(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.api+json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut pending = Vec::new();
                let mut buf = [0u8; 8192];
                loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => pending.extend_from_slice(&buf[..n]),
                    }
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

fn requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let url = runtime.block_on(serve(page(20)));
    let generated = Client::builder()
        .base_url(&url)
        .bearer_token("token")
        .build()
        .unwrap();
    let params = ListCustomersParams::default()
        .filter_site_id("123")
        .page_number(1)
        .page_size(20);
    let hand_written = reqwest::Client::new();
    let hand_url = format!("{url}/v1/customers?page[number]=1&page[size]=20&filter[site_id]=123");

    let mut group = c.benchmark_group("list_customers_requests");
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime).iter(|| async {
            let page = generated.list_customers(black_box(&params)).await.unwrap();
            assert_eq!(page.data.as_ref().map(Vec::len), Some(20));
        })
    });
    group.bench_function("hand_written_reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = hand_written
                .get(black_box(&hand_url))
                .header("accept", "application/vnd.api+json")
                .bearer_auth("token")
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            let page: CustomersIndexResponse = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(page.data.as_ref().map(Vec::len), Some(20));
        })
    });
    group.finish();
}

criterion_group!(benches, decode, requests);
criterion_main!(benches);
