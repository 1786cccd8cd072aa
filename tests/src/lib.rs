//! The tests of the generator and of the generated Kajabi client live in `tests/tests/`.
//! This crate also compiles the usage example of the README as a doctest.
#![doc = include_str!("../../README.md")]
