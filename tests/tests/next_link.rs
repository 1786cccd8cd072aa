//! The next-link pagination scheme, generated for a document of its own: the crate compiles
//! without warnings and has the page stream. (The stream's logic and the link check are
//! unit tests of the runtime, in `generator/runtime/`.)

mod common;

use generator::config::{PaginationConfig, PaginationScheme};
use generator::model::Ty;

const SPEC: &str = r#"
openapi: 3.1.0
info: { title: Items, version: "1" }
servers: [{ url: "https://api.example.com/v2" }]
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, schema: { type: integer } }
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { type: object, properties: { id: { type: integer } } } }
                  next: { type: [string, "null"] }
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: not a list
          content: { application/json: { schema: { type: object, properties: { name: { type: string } } } } }
"#;

#[test]
fn next_link_lists_get_page_streams_that_compile() {
    let config = generator::Config {
        crate_name: "items-client".into(),
        pagination: Some(PaginationConfig {
            scheme: PaginationScheme::NextLink,
            page_param: None,
            items: "/items".into(),
            next_link: Some("/next".into()),
            total_pages: None,
        }),
        ..Default::default()
    };
    let generated = generator::generate(SPEC, &config).unwrap_or_else(|d| panic!("{d}"));
    let id = |n: &str| common::type_id(&generated.api, n);
    let ops: Vec<_> = generated
        .api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .collect();
    let list = ops.iter().find(|o| o.rust_name == "list_items").unwrap();
    let pagination = list.pagination.as_ref().expect("list_items is paginated");
    assert!(pagination.by_link);
    assert_eq!(
        pagination.item_ty,
        // One of the response's `items` is an `Item`.
        Ty::Named(id("ListItemsResponseItem"))
    );
    assert!(ops
        .iter()
        .find(|o| o.rust_name == "list_things")
        .unwrap()
        .pagination
        .is_none());
    let module = &generated.files["src/paths/items.rs"];
    assert!(module.contains("pub fn list_items_pages("), "{module}");
    assert!(
        module.contains("Request::from_link(&client, \"/items\", &link)?"),
        "{module}"
    );

    let workspace = common::Workspace::new(&["items-client"]);
    workspace.write_crate("items-client", &generated.files);
    let output = workspace.cargo(&["check", "--quiet"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
