//! Argument parsers shared by both plugins' command lines.

use std::time::Duration;

/// `10m`, `90s`, `1h30m`: a positive duration.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text)
        .map_err(|e| format!("{e} (use a duration such as 10m, 90s or 1h30m)"))?;
    if d.is_zero() {
        return Err("must be longer than zero (e.g. 10m)".into());
    }
    Ok(d)
}
