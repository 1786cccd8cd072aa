//! The generated client against an independent mock server: Stoplight Prism serving the
//! document (with the overlay applied) with random responses (`-d`) and request validation
//! (`--errors`: a request that breaks the document is answered with an error). Every
//! response must decode and no request may be refused.
//!
//! Prism comes from npm: the test installs it into `target/prism` the first time (`npm` must be
//! on the PATH); `PRISM_BIN` can point elsewhere. Without npm the test says so loudly, and
//! fails when `CI` is set.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kajabi_client::types::HookEvent;
use kajabi_client::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// The version of Prism the test is written against.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5";

/// Prism's executable: `PRISM_BIN`, else `target/prism`, installed there from npm if missing.
fn prism_bin() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("PRISM_BIN") {
        let bin = PathBuf::from(bin);
        return if bin.exists() {
            Ok(bin)
        } else {
            Err(format!("PRISM_BIN={} does not exist", bin.display()))
        };
    }
    let prefix = xtask::workspace_root().join("target/prism");
    let bin = prefix.join("node_modules/.bin/prism");
    if bin.exists() {
        return Ok(bin);
    }
    eprintln!(
        "installing {PRISM_PACKAGE} into {} (once)",
        prefix.display()
    );
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(PRISM_PACKAGE)
        .status()
        .map_err(|e| format!("npm could not be run ({e}); install Node.js or set PRISM_BIN"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("`npm install {PRISM_PACKAGE}` failed ({status})"));
    }
    Ok(bin)
}

struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The document as generation sees it: `openapi.yaml` with the overlays applied.
///
/// One change for Prism's sake: Prism cannot match query parameters whose names have brackets
/// (stoplightio/prism#2017), so it reports a required one such as `filter[site_id]` of
/// `GET /v1/kajabi_payments_payouts` as missing however it is sent. Those are made optional
/// in the copy Prism serves; `kajabi_wire.rs` checks that the client sends them.
fn served_document() -> Value {
    let job = xtask::Job::from_repository().unwrap();
    let mut doc =
        generator::load::parse_document(&std::fs::read_to_string(&job.spec).unwrap()).unwrap();
    for path in &job.overlays {
        let source = generator::overlay::OverlaySource {
            name: path.display().to_string(),
            text: std::fs::read_to_string(path).unwrap(),
        };
        generator::overlay::apply(&mut doc, &source).unwrap();
    }
    let mut relaxed = Vec::new();
    for (path, item) in doc["paths"].as_object_mut().unwrap() {
        for (method, op) in item.as_object_mut().unwrap() {
            for param in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                let name = param["name"].as_str().unwrap_or("").to_owned();
                if param["in"] == "query" && param["required"] == true && name.contains('[') {
                    param["required"] = json!(false);
                    relaxed.push(format!("{method} {path} {name}"));
                }
            }
        }
    }
    assert_eq!(
        relaxed,
        [
            "get /v1/kajabi_payments_payouts filter[site_id]",
            "get /v1/kajabi_payments_payouts/{id} filter[site_id]"
        ]
    );
    doc
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            doc,
            doc.pointer(r.trim_start_matches('#'))
                .expect("$ref resolves"),
        ),
        None => schema,
    }
}

/// A value valid for `schema`: every property, the first enum value, one array item.
fn example(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = serde_json::Map::new();
        for part in all {
            if let Value::Object(m) = example(doc, part) {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| schema.get(*k)?.as_array()?.first())
    {
        return example(doc, first);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[0].clone();
    }
    let ty = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .find(|t| *t != "null")
            .and_then(Value::as_str)
            .unwrap_or("null"),
        Some(Value::String(t)) => t,
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    };
    match ty {
        "object" => Value::Object(
            schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(k, v)| (k.clone(), example(doc, v)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        "array" => json!([example(doc, schema.get("items").unwrap_or(&json!({})))]),
        "integer" => json!(schema
            .get("minimum")
            .and_then(Value::as_i64)
            .unwrap_or(1)
            .max(1)),
        "number" => json!(1.5),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-01-02T03:04:05Z"),
            Some("date") => json!("2024-01-02"),
            Some("email") => json!("ada@example.com"),
            Some("uri" | "url") => json!("https://example.com/hook"),
            _ => json!("example"),
        },
    }
}

/// A typed request body for an operation, built from its schema.
fn body<T: DeserializeOwned>(doc: &Value, method: &str, path: &str) -> T {
    let op = &doc["paths"][path][method];
    let content = op["requestBody"]["content"]
        .as_object()
        .expect("a request body");
    let (_, media) = content.iter().next().unwrap();
    let value = example(doc, &media["schema"]);
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{value}"))
}

#[derive(Default)]
struct Tally {
    calls: usize,
    per_operation: std::collections::BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn check<T, E: std::fmt::Debug>(&mut self, name: &'static str, result: Result<T, Error<E>>) {
        self.calls += 1;
        *self.per_operation.entry(name).or_default() += 1;
        if let Err(e) = result {
            let detail = match &e {
                Error::UnexpectedStatus(r) => format!("{} {}", r.status, r.body_text()),
                other => format!("{other:?}"),
            };
            self.failures.push(format!("{name}: {detail}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_against_prism() {
    let prism = match prism_bin() {
        Ok(prism) => prism,
        Err(why) => {
            let message = format!("PRISM IS NOT AVAILABLE: {why}");
            if std::env::var_os("CI").is_some() {
                panic!("{message}");
            }
            eprintln!("\n!!! {message}; the Prism test did not run !!!\n");
            return;
        }
    };
    let doc = served_document();
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.json");
    std::fs::write(&spec, serde_json::to_vec(&doc).unwrap()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(dir.path().join("prism.log")).unwrap();
    let _prism = Prism(
        Command::new(&prism)
            .args([
                "mock",
                "-d",
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .arg(&spec)
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("prism starts"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "prism did not start: {}",
            std::fs::read_to_string(dir.path().join("prism.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("prism-token")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let mut t = Tally::default();
    let sorts = [
        ListCustomersSort::NameAsc,
        ListCustomersSort::CreatedAtDesc,
        ListCustomersSort::NetRevenueDesc,
        ListCustomersSort::LastRequestAtAsc,
    ];
    for round in 0..4i64 {
        let page = round + 1;
        let size = 5 * (round + 1);
        let id = format!("id-{round}");
        t.check(
            "list_blog_posts",
            c.list_blog_posts(
                &ListBlogPostsParams::default()
                    .page_number(page)
                    .page_size(size)
                    .filter_title_cont("news"),
            )
            .await,
        );
        t.check(
            "get_blog_post",
            c.get_blog_post(&id, &Default::default()).await,
        );
        t.check(
            "list_contact_notes",
            c.list_contact_notes(
                &ListContactNotesParams::default()
                    .page_number(page)
                    .filter_contact_id("42"),
            )
            .await,
        );
        t.check(
            "get_contact_note",
            c.get_contact_note(&id, &Default::default()).await,
        );
        t.check(
            "list_contact_tags",
            c.list_contact_tags(
                &ListContactTagsParams::default()
                    .page_number(page)
                    .page_size(size),
            )
            .await,
        );
        t.check("get_contact_tag", c.get_contact_tag(&id).await);
        t.check(
            "list_contacts",
            c.list_contacts(
                &ListContactsParams::default()
                    .page_number(page)
                    .page_size(size)
                    .filter_site_id("123")
                    .filter_search("smith & co"),
            )
            .await,
        );
        t.check("list_contacts_offers", c.list_contacts_offers(&id).await);
        t.check("list_contacts_tags", c.list_contacts_tags(&id).await);
        t.check("get_contact", c.get_contact(&id, &Default::default()).await);
        t.check(
            "list_courses",
            c.list_courses(
                &ListCoursesParams::default()
                    .page_number(page)
                    .page_size(size),
            )
            .await,
        );
        t.check("get_course", c.get_course(&id, &Default::default()).await);
        t.check(
            "list_custom_fields",
            c.list_custom_fields(&ListCustomFieldsParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_custom_field",
            c.get_custom_field(&id, &Default::default()).await,
        );
        let customers = ListCustomersParams::default()
            .sort(sorts[round as usize].clone())
            .page_number(page)
            .page_size(size)
            .fields_customers(["name", "email"])
            .filter_site_id("123")
            .filter_search("smith");
        t.check("list_customers", c.list_customers(&customers).await);
        t.check("list_customers_offers", c.list_customers_offers(&id).await);
        t.check(
            "get_customer",
            c.get_customer(
                &id,
                &GetCustomerParams::default().include("offers,products"),
            )
            .await,
        );
        t.check(
            "list_form_submissions",
            c.list_form_submissions(&ListFormSubmissionsParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_form_submission",
            c.get_form_submission(&id, &Default::default()).await,
        );
        t.check(
            "list_forms",
            c.list_forms(&ListFormsParams::default().page_number(page))
                .await,
        );
        t.check("get_form", c.get_form(&id, &Default::default()).await);
        t.check(
            "list_hooks",
            c.list_hooks(
                &ListHooksParams::default()
                    .page_number(page)
                    .filter_event_eq(HookEvent::from("purchase")),
            )
            .await,
        );
        t.check("get_hook", c.get_hook(&id).await);
        t.check(
            "get_form_submission_sample",
            c.get_form_submission_sample().await,
        );
        t.check(
            "get_order_created_sample",
            c.get_order_created_sample().await,
        );
        t.check(
            "get_payment_succeeded_sample",
            c.get_payment_succeeded_sample().await,
        );
        t.check("get_purchase_sample", c.get_purchase_sample().await);
        t.check("get_tag_added_sample", c.get_tag_added_sample().await);
        t.check("get_tag_removed_sample", c.get_tag_removed_sample().await);
        t.check(
            "list_payouts",
            c.list_payouts(&ListPayoutsParams::new("123").page_number(page))
                .await,
        );
        t.check(
            "get_payout",
            c.get_payout(&id, &GetPayoutParams::new("123")).await,
        );
        t.check(
            "list_landing_pages",
            c.list_landing_pages(&ListLandingPagesParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_landing_page",
            c.get_landing_page(&id, &Default::default()).await,
        );
        t.check("get_current_user", c.get_current_user().await);
        t.check(
            "list_offers",
            c.list_offers(
                &ListOffersParams::default()
                    .page_number(page)
                    .filter_site_id("123"),
            )
            .await,
        );
        t.check("get_offer", c.get_offer(&id, &Default::default()).await);
        t.check("list_offers_products", c.list_offers_products(&id).await);
        t.check(
            "list_order_items",
            c.list_order_items(&ListOrderItemsParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_order_item",
            c.get_order_item(&id, &Default::default()).await,
        );
        t.check(
            "list_orders",
            c.list_orders(&ListOrdersParams::default().page_number(page))
                .await,
        );
        t.check("get_order", c.get_order(&id, &Default::default()).await);
        t.check(
            "list_podcasts",
            c.list_podcasts(&ListPodcastsParams::default().page_number(page))
                .await,
        );
        t.check("get_podcast", c.get_podcast(&id).await);
        t.check(
            "list_products",
            c.list_products(
                &ListProductsParams::default()
                    .page_number(page)
                    .page_size(size),
            )
            .await,
        );
        t.check("get_product", c.get_product(&id, &Default::default()).await);
        t.check(
            "list_purchases",
            c.list_purchases(&ListPurchasesParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_purchase",
            c.get_purchase(&id, &Default::default()).await,
        );
        t.check(
            "list_sites",
            c.list_sites(&ListSitesParams::default().page_number(page))
                .await,
        );
        t.check("get_site", c.get_site(&id, &Default::default()).await);
        t.check(
            "list_transactions",
            c.list_transactions(&ListTransactionsParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_transaction",
            c.get_transaction(&id, &Default::default()).await,
        );
        t.check("get_version", c.get_version().await);
        t.check(
            "list_website_pages",
            c.list_website_pages(&ListWebsitePagesParams::default().page_number(page))
                .await,
        );
        t.check(
            "get_website_page",
            c.get_website_page(&id, &Default::default()).await,
        );
    }

    // Every operation that sends a body, or changes something, at least once.
    let d = &doc;
    t.check(
        "get_access_token",
        c.get_access_token(&body(d, "post", "/v1/oauth/token"))
            .await,
    );
    t.check(
        "revoke_token",
        c.revoke_token(&body(d, "post", "/v1/oauth/revoke")).await,
    );
    t.check(
        "create_contact_note",
        c.create_contact_note(&body(d, "post", "/v1/contact_notes"))
            .await,
    );
    t.check(
        "update_contact_note",
        c.update_contact_note("n-1", &body(d, "patch", "/v1/contact_notes/{id}"))
            .await,
    );
    t.check("delete_contact_note", c.delete_contact_note("n-1").await);
    t.check(
        "create_contact",
        c.create_contact(&body(d, "post", "/v1/contacts")).await,
    );
    t.check(
        "update_contact",
        c.update_contact("c-1", &body(d, "patch", "/v1/contacts/{id}"))
            .await,
    );
    t.check("delete_contact", c.delete_contact("c-1").await);
    let offers = "/v1/contacts/{contact_id}/relationships/offers";
    t.check(
        "grant_offer_to_contact",
        c.grant_offer_to_contact("c-1", &body(d, "post", offers))
            .await,
    );
    t.check(
        "revoke_offer_from_contact",
        c.revoke_offer_from_contact("c-1", &body(d, "delete", offers))
            .await,
    );
    t.check(
        "replace_offers_for_contact",
        c.replace_offers_for_contact("c-1", &body(d, "patch", offers))
            .await,
    );
    let tags = "/v1/contacts/{contact_id}/relationships/tags";
    t.check(
        "add_tag_to_contact",
        c.add_tag_to_contact("c-1", &body(d, "post", tags)).await,
    );
    t.check(
        "remove_tag_from_contact",
        c.remove_tag_from_contact("c-1", &body(d, "delete", tags))
            .await,
    );
    t.check(
        "replace_tags_for_contact",
        c.replace_tags_for_contact("c-1", &body(d, "patch", tags))
            .await,
    );
    let customer_offers = "/v1/customers/{customer_id}/relationships/offers";
    t.check(
        "grant_offer_to_customer",
        c.grant_offer_to_customer("u-1", &body(d, "post", customer_offers))
            .await,
    );
    t.check(
        "revoke_offer_from_customer",
        c.revoke_offer_from_customer("u-1", &body(d, "delete", customer_offers))
            .await,
    );
    t.check(
        "replace_offers_for_customer",
        c.replace_offers_for_customer("u-1", &body(d, "patch", customer_offers))
            .await,
    );
    t.check(
        "submit_form",
        c.submit_form("f-1", &body(d, "post", "/v1/forms/{id}/submit"))
            .await,
    );
    t.check(
        "create_hook",
        c.create_hook(&body::<CreateHookBody>(d, "post", "/v1/hooks"))
            .await,
    );
    t.check("delete_hook", c.delete_hook("h-1").await);
    t.check("cancel_subscription", c.cancel_subscription("p-1").await);
    t.check("deactivate_purchase", c.deactivate_purchase("p-1").await);
    t.check("reactivate_purchase", c.reactivate_purchase("p-1").await);

    println!(
        "\n{} calls to Prism over {} operations: {} failed",
        t.calls,
        t.per_operation.len(),
        t.failures.len()
    );
    for failure in &t.failures {
        println!("  {failure}");
    }
    let declared: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| {
            [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .iter()
            .filter(|m| item.get(**m).is_some())
            .count()
        })
        .sum();
    assert_eq!(
        t.per_operation.len(),
        declared,
        "every operation the document declares was called"
    );
    assert!(t.calls >= 200, "{} calls", t.calls);
    assert!(
        t.failures.is_empty(),
        "{} of {} calls failed:\n{}",
        t.failures.len(),
        t.calls,
        t.failures.join("\n")
    );
}
