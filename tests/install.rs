//! The binary away from its source tree: copied elsewhere (as `cargo
//! install` or a package would), run from another directory, it finds its
//! data files by itself; `NEWSFLOW_DATA_DIR` and a `data/` folder beside the
//! executable still take precedence.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ARTICLE: &str = r#"{"id":"inst-1","published_at":"2026-01-14T08:00:00Z","title":"Talks","body":"Russia condemned the United States on Tuesday for threatening Iran. The Iranian foreign minister met his Chinese counterpart in Beijing on Wednesday."}"#;

/// A copy of the built binary in `dir/bin`, so that nothing beside it is
/// the source tree's.
fn copied_binary(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let exe = bin.join("newsflow");
    std::fs::copy(env!("CARGO_BIN_EXE_newsflow"), &exe).unwrap();
    exe
}

/// `newsflow extract -` on one article, from `cwd`, with `home` as HOME
/// and no data settings from the environment of the test run.
fn extract(exe: &Path, cwd: &Path, home: &Path, data_dir: Option<&Path>) -> Output {
    let mut c = Command::new(exe);
    c.arg("extract")
        .arg("-")
        .current_dir(cwd)
        .env("HOME", home)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("NEWSFLOW_DATA_DIR")
        .env_remove("CARGO_MANIFEST_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = data_dir {
        c.env("NEWSFLOW_DATA_DIR", d);
    }
    let mut child = spawn(&mut c);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{ARTICLE}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Spawns `c`, retrying while the fresh copy is "busy": a child that
/// another test thread forks while the copy is being written inherits the
/// writing descriptor until it execs, and Linux refuses to execute a file
/// open for writing (ETXTBSY).
fn spawn(c: &mut Command) -> std::process::Child {
    for _ in 0..50 {
        match c.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            r => return r.unwrap(),
        }
    }
    c.spawn().unwrap()
}

#[test]
fn a_copied_binary_runs_from_anywhere_on_its_embedded_data() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = copied_binary(tmp.path());
    let (cwd, home) = (tmp.path().join("elsewhere"), tmp.path().join("home"));
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let out = extract(&exe, &cwd, &home, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(record["id"], "inst-1");
    assert!(
        stdout.contains("\"RUS\""),
        "the dictionaries were loaded: {stdout}"
    );
    // Unpacked once under the user's cache directory, complete.
    let cache = home.join(".cache/newsflow");
    let unpacked: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(unpacked.len(), 1, "{unpacked:?}");
    assert!(unpacked[0].join(".complete").is_file());
    assert!(unpacked[0].join("countries.tsv").is_file());
    // A second run reuses it.
    let again = extract(&exe, &cwd, &home, None);
    assert!(again.status.success());
    assert_eq!(again.stdout, out.stdout, "same data, same records");
}

#[test]
fn a_data_folder_beside_the_binary_is_preferred_to_the_embedded_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = copied_binary(tmp.path());
    let beside = tmp.path().join("bin/data");
    std::fs::create_dir_all(&beside).unwrap();
    // A folder with countries.tsv but no cities: loading must fail on it,
    // which shows the folder was the one read.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/countries.tsv"),
        beside.join("countries.tsv"),
    )
    .unwrap();
    let out = extract(&exe, tmp.path(), tmp.path(), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains(&*beside.to_string_lossy()), "{stderr}");
}

#[test]
fn a_missing_data_dir_is_one_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = copied_binary(tmp.path());
    let missing = tmp.path().join("no-such-dir");
    let out = extract(&exe, tmp.path(), tmp.path(), Some(&missing));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("NEWSFLOW_DATA_DIR"), "{stderr}");
    assert!(stderr.contains("no-such-dir"), "{stderr}");

    // A folder that exists but lacks a file: the path once, the cause once.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = extract(&exe, tmp.path(), tmp.path(), Some(&empty));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(
        stderr.matches("os error 2").count(),
        1,
        "the cause is told once: {stderr}"
    );
}
