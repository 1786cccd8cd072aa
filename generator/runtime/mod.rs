//! The hand-written runtime shared by every generated operation: the client, request encoding,
//! response decoding and the error types. It is copied verbatim into each generated crate.

// Not every API uses every helper.
#![allow(dead_code)]

mod auth;
mod body;
mod client;
mod encoding;
mod error;
mod pagination;
mod response;
mod multipart;
mod options;
mod ratelimit;
mod retry;
mod sse;
mod stream;
pub(crate) mod tagged;
mod unknown;

pub use body::Body;
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
pub use options::{OperationInfo, RequestOptions};
pub use ratelimit::RateLimitPolicy;
pub use retry::RetryPolicy;
pub use stream::{ByteStream, Event, EventStream, JsonLines, StreamError};
pub use unknown::UnknownValue;
#[allow(unused_imports)]
pub(crate) use stream::{event_data, event_object, event_text};

#[allow(unused_imports)]
pub(crate) use client::{KeyIn, Opened, Request, Scheme};
#[allow(unused_imports)]
pub(crate) use encoding::{json_text, path_list, path_reserved, path_segment, path_styled, PathStyle, Query, Style};
