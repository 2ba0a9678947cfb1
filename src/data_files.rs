//! Where the data files (dictionaries, gazetteers, lexicons under `data/`)
//! are read from.
//!
//! The binary carries the `data/` folder it was built with (`build.rs`
//! embeds every file), so `cargo install` or a copied binary works from any
//! directory with no source tree. Lookup order:
//!
//! 1. `$NEWSFLOW_DATA_DIR`, when set: the user's own data, used as is;
//! 2. a `data/` folder beside the executable, or `../share/newsflow/data`
//!    from it (how a package lays files out), when it holds `countries.tsv`;
//! 3. the embedded copy, unpacked once into a folder named by its content
//!    hash under the user's cache directory (`$XDG_CACHE_HOME` or
//!    `~/.cache`, else the system temporary directory). The loaders read
//!    files by path, so one unpacked folder serves all of them; the hash in
//!    the name means a binary built with other data never reads a stale
//!    copy, and unpacking goes through a temporary folder renamed into place,
//!    so processes starting together never see half a folder.

use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_data.rs"));
}

/// The data directory could not be found or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error("NEWSFLOW_DATA_DIR={0} is not a directory")]
    NotADirectory(PathBuf),
    #[error("cannot unpack the embedded data files into {path}")]
    Unpack {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The embedded data files, `(path relative to data/, bytes)`, in path order.
pub fn embedded_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::FILES
}

/// The folder to load data files from (see the module documentation).
pub fn data_dir() -> Result<PathBuf, DataDirError> {
    if let Some(dir) = std::env::var_os("NEWSFLOW_DATA_DIR") {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(DataDirError::NotADirectory(dir));
        }
        return Ok(dir);
    }
    if let Some(dir) = beside_executable() {
        return Ok(dir);
    }
    unpacked()
}

fn beside_executable() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?;
    [bin.join("data"), bin.join("../share/newsflow/data")]
        .into_iter()
        .find(|d| d.join("countries.tsv").is_file())
}

fn cache_root() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
}

/// The embedded files unpacked under the cache directory (or, when that is
/// not writable, the temporary directory).
fn unpacked() -> Result<PathBuf, DataDirError> {
    let name = format!("data-{}", embedded::HASH);
    let first = cache_root().join("newsflow").join(&name);
    match unpack_into(&first) {
        Ok(()) => Ok(first),
        Err(_) => {
            let fallback = std::env::temp_dir().join("newsflow").join(&name);
            unpack_into(&fallback).map_err(|source| DataDirError::Unpack {
                path: fallback.clone(),
                source,
            })?;
            Ok(fallback)
        }
    }
}

/// Writes every embedded file under `dir` unless a complete copy is there.
fn unpack_into(dir: &Path) -> std::io::Result<()> {
    const DONE: &str = ".complete";
    if dir.join(DONE).is_file() {
        return Ok(());
    }
    let parent = dir.parent().expect("the data folder has a parent");
    std::fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(
        ".{}.{}",
        dir.file_name().unwrap().to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    for (rel, bytes) in embedded::FILES {
        let path = tmp.join(rel);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, bytes)?;
    }
    std::fs::write(tmp.join(DONE), embedded::HASH)?;
    match std::fs::rename(&tmp, dir) {
        Ok(()) => Ok(()),
        // Another process got there first: its copy is the same.
        Err(_) if dir.join(DONE).is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_copy_is_the_source_tree_data() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        assert!(embedded_files().len() >= 10);
        for (rel, bytes) in embedded_files() {
            assert_eq!(
                std::fs::read(root.join(rel)).unwrap(),
                *bytes,
                "data/{rel} changed since the build embedded it"
            );
        }
    }

    #[test]
    fn unpacking_writes_every_file_once_and_reuses_a_complete_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data-test");
        unpack_into(&dir).unwrap();
        for (rel, bytes) in embedded_files() {
            assert_eq!(std::fs::read(dir.join(rel)).unwrap(), *bytes);
        }
        // A complete copy is reused as it is.
        std::fs::write(dir.join("marker"), b"x").unwrap();
        unpack_into(&dir).unwrap();
        assert!(dir.join("marker").is_file());
    }
}
