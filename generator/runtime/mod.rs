//! The hand-written runtime shared by every generated operation: the client, request encoding,
//! response decoding and the error types. It is copied verbatim into each generated crate.

// Not every API uses every helper.
#![allow(dead_code)]

mod auth;
mod client;
mod encoding;
mod error;
mod pagination;
mod response;
mod multipart;
mod retry;
pub(crate) mod tagged;

pub use auth::{AuthError, OAuth2Provider, Secret, StaticToken, TokenFuture, TokenProvider};
pub use client::{Client, ClientBuilder};
pub use encoding::ParamValue;
pub use error::{ApiError, DecodeError, Error, InvalidRequest, UnexpectedResponse};
pub use pagination::{Items, Page, PageInfo, Pages};
pub use response::{FromHeaders, ResponseValue};
#[allow(unused_imports)]
pub(crate) use response::{header_value, link_with_rel};
#[allow(unused_imports)]
pub(crate) use pagination::PageRequest;
pub use multipart::Upload;
#[allow(unused_imports)]
pub(crate) use multipart::Multipart;
pub use retry::RetryPolicy;

#[allow(unused_imports)]
pub(crate) use client::{KeyIn, Request, Scheme};
#[allow(unused_imports)]
pub(crate) use encoding::{json_text, path_segment, Query, Style};
