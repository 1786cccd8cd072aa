//! Decode speed of the Kajabi crate generated both ways: structs that keep the properties
//! their schema does not list (`unknown_fields = "keep"`) and structs that ignore them (the
//! default). `cargo xtask bench` builds this against both crates (release) and prints the
//! ratio: median nanoseconds per decode of a 1,000-customer page, runs interleaved.

use std::hint::black_box;
use std::time::Instant;

fn customer(i: usize) -> String {
    format!(
        r#"{{"id":"{i}","type":"customers","attributes":{{"name":"Customer Number {i}","email":"customer{i}@example.com","avatar":null,"external_user_id":"ext_{i}","public_bio":"Writes about things, number {i}.","public_location":"Springfield","public_website":"https://example.com/{i}","socials":{{"twitter":"@c{i}","facebook":null,"instagram":null}},"net_revenue":"{i}.50","sign_in_count":{i},"last_request_at":"2024-05-01T10:00:00Z","bounced_at":null,"created_at":"2021-01-01T00:00:00Z","updated_at":"2024-05-01T10:00:00Z"}},"relationships":{{"contact":{{"data":{{"id":"{i}","type":"contacts"}}}},"site":{{"data":{{"id":"123","type":"sites"}}}},"offers":{{"links":{{"self":"https://app.kajabi.com/api/v1/customers/{i}/relationships/offers","related":"https://app.kajabi.com/api/v1/customers/{i}/offers"}}}},"products":{{"data":[{{"id":"789","type":"products"}}]}}}},"links":{{"contact":"https://app.kajabi.com/api/v1/contacts/{i}"}}}}"#
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

fn time<F: FnMut()>(mut f: F) -> f64 {
    const ITERATIONS: u32 = 20;
    let started = Instant::now();
    for _ in 0..ITERATIONS {
        f();
    }
    started.elapsed().as_nanos() as f64 / f64::from(ITERATIONS)
}

fn main() {
    let body = page(1000);
    let (mut keep, mut ignore) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        keep.push(time(|| {
            black_box(serde_json::from_str::<kajabi_keep::types::CustomersIndexResponse>(black_box(&body)).unwrap());
        }));
        ignore.push(time(|| {
            black_box(serde_json::from_str::<kajabi_ignore::types::CustomersIndexResponse>(black_box(&body)).unwrap());
        }));
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("{:.0} {:.0} {}", median(keep), median(ignore), body.len());
}
