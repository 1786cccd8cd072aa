//! The constructs of `tests/features/features.yaml`, end to end: discriminated unions, object
//! query parameters (`deepObject`, `form` exploded and not), cookie parameters, array headers
//! and `multipart/form-data` bodies. The model is checked here; the generated crate is then
//! built with warnings denied and driven against a wiremock server by
//! `tests/features/check.rs`, which asserts the exact requests and decoded values, and
//! checked with clippy and rustdoc, warnings denied.

mod common;

use generator::model::{ArrayStyle, BodyEncoding, Location, Ty, TypeKind};
use generator::Config;

fn features_dir() -> std::path::PathBuf {
    xtask::workspace_root().join("tests/features")
}

fn generate() -> generator::GeneratedCrate {
    let text = std::fs::read_to_string(features_dir().join("features.yaml")).unwrap();
    let config = Config {
        crate_name: "features-client".into(),
        ..Default::default()
    };
    generator::generate(&text, &config).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn the_model_has_tagged_unions_object_parameters_cookies_and_multipart() {
    let generated = generate();
    let id = |n: &str| common::type_id(&generated.api, n);
    let api = &generated.api;
    assert_eq!(
        generated.warnings.iter().count(),
        0,
        "{}",
        generated.warnings
    );
    let kind = |name: &str| {
        &api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .kind
    };
    let TypeKind::Tagged {
        property, variants, ..
    } = kind("Pet")
    else {
        panic!("{:?}", kind("Pet"))
    };
    assert_eq!(property, "petType");
    let tags: Vec<(&str, Vec<&str>)> = variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                v.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [
            ("Cat", vec!["cat", "kitten"]),
            ("Dog", vec!["dog"]),
            ("Lizard", vec!["Lizard"]),
            ("Other", vec![])
        ]
    );
    let TypeKind::Tagged { variants, .. } = kind("Shape") else {
        panic!("{:?}", kind("Shape"))
    };
    let tags: Vec<(&str, &Ty, Vec<&str>)> = variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                &v.ty,
                v.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        tags,
        [
            ("Circle", &Ty::Named(id("ShapeCircle")), vec!["circle"]),
            (
                "Square",
                &Ty::Named(id("ShapeSquare")),
                vec!["square", "box"]
            ),
            ("Other", &Ty::Value, vec![]),
        ]
    );

    // A base with a discriminator that others extend is the union of them and itself.
    let TypeKind::Tagged {
        property, variants, ..
    } = kind("Animal")
    else {
        panic!("{:?}", kind("Animal"))
    };
    assert_eq!(property, "kind");
    let names: Vec<(&str, &Ty, Vec<&str>)> = variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                &v.ty,
                v.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Bird", &Ty::Named(id("Bird")), vec!["bird"]),
            ("Fish", &Ty::Named(id("Fish")), vec!["Fish"]),
            ("Base", &Ty::Named(id("AnimalBase")), vec!["Animal"]),
            ("Other", &Ty::Value, vec![]),
        ]
    );
    let TypeKind::Struct(fish) = kind("Fish") else {
        panic!()
    };
    let fields: Vec<&str> = fish.fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(fields, ["kind", "name", "fins"]);

    // Integer values tell members apart too, matched as numbers.
    let TypeKind::Tagged {
        property,
        variants,
        numeric,
    } = kind("Component")
    else {
        panic!("{:?}", kind("Component"))
    };
    assert_eq!((property.as_str(), *numeric), ("type", true));
    let names: Vec<(&str, &Ty, Vec<&str>)> = variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                &v.ty,
                v.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Type2", &Ty::Named(id("ComponentType2")), vec!["2"]),
            ("TextInput", &Ty::Named(id("TextInput")), vec!["4"]),
            ("Other", &Ty::Value, vec![]),
        ]
    );

    // Members that fix a required property to their own values are told apart by it.
    let TypeKind::Tagged {
        property, variants, ..
    } = kind("Event")
    else {
        panic!("{:?}", kind("Event"))
    };
    assert_eq!(property, "type");
    let names: Vec<(&str, &[String])> = variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.tags.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("Created", &["created".to_owned()][..]),
            ("Deleted", &["deleted".to_owned()][..]),
            ("Other", &[][..])
        ]
    );
    let TypeKind::Struct(deleted) = kind("EventDeleted") else {
        panic!()
    };
    assert_eq!(
        deleted
            .fields
            .iter()
            .find(|f| f.wire_name == "hard")
            .unwrap()
            .doc
            .as_deref(),
        Some("Default: `false`.")
    );

    let ops: Vec<_> = api.paths.iter().flat_map(|g| &g.operations).collect();
    let list = ops.iter().find(|o| o.rust_name == "list_pets").unwrap();
    let param = |wire: &str| list.params.iter().find(|p| p.wire_name == wire).unwrap();
    assert_eq!(
        (param("session").location, param("session").required),
        (Location::Cookie, true)
    );
    assert_eq!(param("prefs").ty, Ty::Vec(Box::new(Ty::I64)));
    assert_eq!(
        (param("filter").array_style, &param("filter").ty),
        (ArrayStyle::DeepObject, &Ty::Named(id("PetFilter")))
    );
    assert_eq!(param("page").array_style, ArrayStyle::Exploded);
    assert_eq!(param("point").array_style, ArrayStyle::Delimited(','));
    assert_eq!(param("x-trace").location, Location::Header);

    // Of several media types, JSON is sent, and the others are named.
    let create = ops
        .iter()
        .find(|o| o.rust_name == "create_pet")
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert_eq!(
        (create.media_type.as_str(), create.encoding),
        ("application/json", BodyEncoding::Json)
    );
    assert_eq!(
        create.doc.as_deref(),
        Some("Sent as `application/json`; the API also accepts `application/xml`.")
    );

    let upload = ops.iter().find(|o| o.rust_name == "upload_photo").unwrap();
    let body = upload.body.as_ref().unwrap();
    assert_eq!(
        (body.encoding, &body.ty),
        (BodyEncoding::Multipart, &Ty::Named(id("UploadPhotoBody")))
    );
    let TypeKind::Struct(s) = kind("UploadPhotoBody") else {
        panic!()
    };
    let field = |wire: &str| {
        s.fields
            .iter()
            .find(|f| f.wire_name == wire)
            .unwrap()
            .ty
            .clone()
    };
    assert_eq!(field("file"), Ty::Upload);
    assert_eq!(
        body.part_media_types,
        [
            ("thumbnails".to_owned(), "image/jpeg".to_owned()),
            ("caption".to_owned(), "text/markdown".to_owned()),
            // From the property's `contentMediaType`, there being no `encoding` for it.
            ("sketch".to_owned(), "image/svg+xml".to_owned())
        ]
    );
    assert_eq!(
        field("thumbnails"),
        Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Upload))))
    );
    // The JSON component keeps its binary strings as strings.
    let TypeKind::Struct(s) = kind("PhotoUpload") else {
        panic!()
    };
    assert_eq!(
        s.fields.iter().find(|f| f.wire_name == "file").unwrap().ty,
        Ty::String
    );
}

#[test]
fn unions_of_constants_are_enums_with_the_members_names_and_docs() {
    let generated = generate();
    let kind = |name: &str| {
        &generated
            .api
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .kind
    };
    // `type: integer` with a `oneOf` of titled `const`s: the titles name the values.
    let TypeKind::IntegerEnum { repr, values } = kind("ContentLevel") else {
        panic!("{:?}", kind("ContentLevel"))
    };
    assert_eq!(*repr, Ty::I32, "format int32");
    let named: Vec<(&str, i64, Option<&str>)> = values
        .iter()
        .map(|v| (v.rust_name.as_str(), v.value, v.doc.as_deref()))
        .collect();
    assert_eq!(
        named,
        [
            ("DEFAULT", 0, Some("Every member sees everything.")),
            ("EXPLICIT", 1, None),
            ("AGE_RESTRICTED", 3, None)
        ]
    );
    // `x-enumNames` beside an integer `enum`.
    let TypeKind::IntegerEnum { repr, values } = kind("Priority") else {
        panic!("{:?}", kind("Priority"))
    };
    assert_eq!(*repr, Ty::I64, "no format");
    let names: Vec<&str> = values.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["LOW", "NORMAL", "HIGH"]);
    // String constants without a `type`, and a null member: a nullable string enum.
    let TypeKind::StringEnum(variants) = kind("Tone") else {
        panic!("{:?}", kind("Tone"))
    };
    let variants: Vec<(&str, &str, Option<&str>)> = variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                v.wire_value.as_str(),
                v.doc.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        variants,
        [
            ("Warm", "warm", Some("Reds and yellows.")),
            ("Cool", "cool", None)
        ]
    );
    let TypeKind::Struct(settings) = kind("Settings") else {
        panic!()
    };
    let tone = settings
        .fields
        .iter()
        .find(|f| f.wire_name == "tone")
        .unwrap();
    assert!(tone.nullable, "the null member makes the enum nullable");
    // A string enum beside any string: the enum, which keeps other values as unknown ones.
    let model = settings
        .fields
        .iter()
        .find(|f| f.wire_name == "model")
        .unwrap();
    let Ty::Option(inner) = &model.ty else {
        panic!("{:?}", model.ty)
    };
    let Ty::Named(name) = &**inner else {
        panic!("{inner:?}")
    };
    let name = generated.api.types.name(*name);
    let TypeKind::StringEnum(variants) = kind(name) else {
        panic!("{:?}", kind(name))
    };
    let variants: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.wire_value.as_str()))
        .collect();
    assert_eq!(variants, [("Small", "small-1"), ("Large", "large-2")]);
    // Integers without names stay integers (`TextInputType` is `enum: [4]`).
    assert!(
        matches!(kind("TextInputType"), TypeKind::Alias(Ty::I64)),
        "{:?}",
        kind("TextInputType")
    );
}

#[test]
fn the_generated_crate_sends_and_decodes_them_on_the_wire() {
    let generated = generate();
    let workspace = common::Workspace::new(&["features-client", "features-check"]);
    workspace.write_crate("features-client", &generated.files);
    let check = workspace.path().join("features-check");
    std::fs::create_dir_all(check.join("src")).unwrap();
    std::fs::copy(features_dir().join("check.rs"), check.join("src/main.rs")).unwrap();
    std::fs::write(
        check.join("Cargo.toml"),
        r#"[package]
name = "features-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
features-client = { path = "../features-client" }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
wiremock = "0.6"
"#,
    )
    .unwrap();
    let output = workspace.cargo(&["run", "--quiet", "--package", "features-check"]);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("features: all checks passed"));
    // `deprecated: true` on a property, a component and a parameter (check.rs expects the
    // warnings) carries the document's own words as the note.
    let types: String = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/types/"))
        .map(|(_, text)| text.as_str())
        .collect();
    let attributes_of = |item: &str| {
        let at = types.find(item).unwrap_or_else(|| panic!("no `{item}`"));
        let start = types[..at].rfind("///").unwrap();
        types[start..at].to_owned()
    };
    assert!(attributes_of("pub struct LegacyPet")
        .contains("#[deprecated(note = \"Deprecated, use Pet.\")]"));
    assert!(attributes_of("pub scales")
        .contains("#[deprecated(note = \"deprecated in the API's document\")]"));
    // An operation's note is the sentence of its description that says so, as plain text.
    let paths: String = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/paths/"))
        .map(|(_, text)| text.as_str())
        .collect();
    let at = paths.find("pub async fn list_legacy_pets(").unwrap();
    let start = paths[..at].rfind("`GET /pets/legacy`").unwrap();
    assert!(
        paths[start..at]
            .contains("#[deprecated(note = \"Deprecated: list them with `listPets`.\")]"),
        "{}",
        &paths[start..at]
    );

    // The generated code meets the project's bar: no clippy warnings, clean rustdoc.
    let output = workspace.cargo(&[
        "clippy",
        "--quiet",
        "--package",
        "features-client",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        output.status.success(),
        "clippy: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = workspace.cargo(&[
        "doc",
        "--quiet",
        "--no-deps",
        "--package",
        "features-client",
    ]);
    assert!(
        output.status.success(),
        "rustdoc: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
