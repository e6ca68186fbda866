//! `oc 3scale-upgrade`: the 3scale 2.9 -> 2.10 image upgrade as an oc plugin. (Being built: issue 4.)

/// Entry point of `oc-3scale_upgrade`; returns the process exit code.
pub fn main() -> i32 {
    eprintln!("error: oc 3scale-upgrade is not built yet");
    2
}
