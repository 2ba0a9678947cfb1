//! Fuzzes configuration loading: a TOML file, then (after a NUL byte)
//! `NEWSFLOW_*` environment overrides, one `KEY=value` a line. Loading must
//! return a config or an error naming the key, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow::config::Config;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (file, env) = text.split_once('\0').unwrap_or((&text, ""));
    let env: Vec<(String, String)> = env
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Ok(cfg) = Config::from_sources(Some(("fuzz.toml", file)), &env) {
        // A loaded config renders without its secrets.
        let _ = cfg.to_redacted_toml();
    }
});
