//! `codegen.toml`: what a document cannot say about the crate made from it. Unknown keys are
//! errors. Every key is documented in the README.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::Ty;

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The OpenAPI document, relative to the configuration file.
    #[serde(default = "default_spec")]
    pub spec: PathBuf,
    /// The directory of the generated crate, relative to the configuration file.
    #[serde(default = "default_out")]
    pub out: PathBuf,
    /// Overlay documents applied to the document in order, relative to the configuration file.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    #[serde(rename = "crate")]
    pub krate: CrateSection,
    #[serde(default)]
    pub operations: OperationFilter,
    /// `format` → Rust type, e.g. `int64 = "String"`.
    #[serde(default)]
    pub formats: BTreeMap<String, String>,
    /// How list operations are paginated.
    #[serde(default)]
    pub pagination: Option<PaginationConfig>,
    /// How the client gets credentials.
    #[serde(default)]
    pub auth: AuthConfig,
    /// Every degradation (a schema typed as `serde_json::Value`, an operation left out) is
    /// an error.
    #[serde(default)]
    pub strict: bool,
    /// The header parameter that carries an idempotency key, when the API names it other
    /// than `Idempotency-Key`.
    #[serde(default)]
    pub idempotency_header: Option<String>,
    /// What structs do with properties their schema does not list: `ignore` them (serde's
    /// default) or `keep` them in an `additional_properties` map.
    #[serde(default)]
    pub unknown_fields: UnknownFields,
    /// Type names by the JSON pointer of the schema they are made for, e.g.
    /// `"#/components/schemas/hooks_attributes/properties/event" = "HookEvent"`.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// `unknown_fields`: properties a schema leaves open (`additionalProperties` absent or
/// `true`) are ignored when decoding, or kept in each struct's `additional_properties` map.
/// A typed `additionalProperties: {schema}` is part of the schema and always kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownFields {
    #[default]
    Ignore,
    Keep,
}

/// `[pagination]`: the scheme and where its parts are.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationConfig {
    /// `page-number`: pages are asked for by number, from the first one asked for on.
    /// `next-link`: each page links to the next (`next_link`), which is followed.
    pub scheme: PaginationScheme,
    /// The query parameter holding the page number, e.g. `page[number]`. With `next-link`,
    /// optional: it then only marks which operations are lists.
    #[serde(default)]
    pub page_param: Option<String>,
    /// A JSON pointer to the array of items in a response, e.g. `/data`.
    pub items: String,
    /// A JSON pointer to the link to the next page, `null` on the last page, e.g. `/links/next`.
    #[serde(default)]
    pub next_link: Option<String>,
    /// A JSON pointer to the number of pages, e.g. `/meta/total_pages`.
    #[serde(default)]
    pub total_pages: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaginationScheme {
    PageNumber,
    NextLink,
}

/// `[auth]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    #[serde(default)]
    pub oauth2: Option<OAuth2Config>,
}

/// `[auth.oauth2]`: the document's own OAuth 2.0 token (and revoke) operations, by
/// `METHOD /path`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuth2Config {
    pub token: String,
    #[serde(default)]
    pub revoke: Option<String>,
}

fn default_spec() -> PathBuf {
    PathBuf::from("openapi.yaml")
}

fn default_out() -> PathBuf {
    PathBuf::from("generated-client")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateSection {
    pub name: String,
    #[serde(default = "default_version")]
    pub version: String,
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

/// Which operations to generate: by method name (`list_customers`) or by `METHOD /path`.
/// An empty `include` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationFilter {
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

impl OperationFilter {
    /// Whether an operation is generated.
    pub fn admits(&self, rust_name: &str, method: &str, path: &str) -> bool {
        let matches = |entry: &String| entry == rust_name || *entry == format!("{method} {path}");
        (self.include.is_empty() || self.include.iter().any(matches))
            && !self.exclude.iter().any(matches)
    }
}

impl ConfigFile {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<ConfigFile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<ConfigFile, String> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
        file.config()?;
        Ok(file)
    }

    /// The generator settings it holds.
    pub fn config(&self) -> Result<crate::Config, String> {
        let mut formats = BTreeMap::new();
        for (format, rust) in &self.formats {
            let ty = format_type(rust).ok_or_else(|| {
                format!(
                    "formats.{format}: `{rust}` is not one of {}",
                    FORMAT_TYPES.join(", ")
                )
            })?;
            formats.insert(format.clone(), ty);
        }
        let config = crate::Config {
            crate_name: self.krate.name.clone(),
            crate_version: self.krate.version.clone(),
            operations: self.operations.clone(),
            formats,
            pagination: self.pagination.clone(),
            oauth2: self.auth.oauth2.clone(),
            document: None,
            strict: self.strict,
            idempotency_header: self.idempotency_header.clone(),
            unknown_fields: self.unknown_fields,
            names: self.names.clone(),
        };
        config.validate()?;
        Ok(config)
    }
}

const FORMAT_TYPES: &[&str] = &[
    "String",
    "bool",
    "i32",
    "i64",
    "u32",
    "u64",
    "f32",
    "f64",
    "serde_json::Value",
];

fn format_type(rust: &str) -> Option<Ty> {
    Some(match rust {
        "String" => Ty::String,
        "bool" => Ty::Bool,
        "i32" => Ty::I32,
        "i64" => Ty::I64,
        "u32" => Ty::U32,
        "u64" => Ty::U64,
        "f32" => Ty::F32,
        "f64" => Ty::F64,
        "serde_json::Value" => Ty::Value,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors() {
        let err = ConfigFile::parse("[crate]\nname = \"x\"\nnmae = \"y\"\n").unwrap_err();
        assert!(err.contains("unknown field `nmae`"), "{err}");
        let err = ConfigFile::parse("colour = 1\n[crate]\nname = \"x\"\n").unwrap_err();
        assert!(err.contains("unknown field `colour`"), "{err}");
    }

    #[test]
    fn values_are_checked() {
        let err = ConfigFile::parse("[crate]\nname = \"x\\\"y\"\n").unwrap_err();
        assert!(err.contains("crate.name"), "{err}");
        let err =
            ConfigFile::parse("[crate]\nname = \"x\"\n[formats]\nuuid = \"Uuid\"\n").unwrap_err();
        assert!(err.contains("formats.uuid"), "{err}");
        let ok =
            ConfigFile::parse("[crate]\nname = \"x\"\n[formats]\nint64 = \"String\"\n").unwrap();
        assert_eq!(ok.config().unwrap().formats["int64"], Ty::String);
    }

    #[test]
    fn operation_filter() {
        let filter = OperationFilter {
            include: vec!["list_customers".into(), "GET /v1/me".into()],
            exclude: vec![],
        };
        assert!(filter.admits("list_customers", "GET", "/v1/customers"));
        assert!(filter.admits("my_user_profile", "GET", "/v1/me"));
        assert!(!filter.admits("list_offers", "GET", "/v1/offers"));
    }
}
