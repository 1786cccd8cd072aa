//! The hand-written runtime shared by every generated operation: the client, request encoding,
//! response decoding and the error types. It is copied verbatim into each generated crate.

// Not every API uses every helper.
#![allow(dead_code)]

mod client;
mod encoding;
mod error;
mod response;

pub use client::{Client, ClientBuilder};
pub use encoding::ParamValue;
pub use error::{ApiError, DecodeError, Error, InvalidRequest, UnexpectedResponse};

#[allow(unused_imports)]
pub(crate) use client::Request;
#[allow(unused_imports)]
pub(crate) use encoding::{path_segment, Query};
