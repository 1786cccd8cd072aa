//! Tests of the generator and the generated Kajabi client live in `tests/tests/`.
