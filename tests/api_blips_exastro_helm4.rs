//! The API blips of `api_blips_exastro.rs` again, against the fake helm 4 (server-side applies): a test
//! matrix, not a copy (`common::helm_major` picks the personality from the name of this test binary).

#[path = "api_blips_exastro.rs"]
mod suite;
