//! `plan_matches_run_procedures.rs` again, against the fake helm 4 (server-side applies): a test matrix, not a
//! copy (`common::helm_major` picks the personality from the name of this test binary).

#[path = "plan_matches_run_procedures.rs"]
mod suite;
