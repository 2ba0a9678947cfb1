//! Embeds the default data files (everything under `data/`) in the binary,
//! so that an installed or copied `newsflow` carries the dictionaries it was
//! built with. Generates `$OUT_DIR/embedded_data.rs`: the files as
//! `(relative path, bytes)` in path order, and a content hash that names the
//! folder they are unpacked into at run time (see `src/data_files.rs`).

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// FNV-1a, 64 bits: a content hash without build dependencies.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("data");
    println!("cargo:rerun-if-changed=data");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut table = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .expect("data file names are UTF-8")
            .replace('\\', "/");
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("reading {}: {e}", f.display()));
        fnv(&mut hash, rel.as_bytes());
        fnv(&mut hash, &(bytes.len() as u64).to_le_bytes());
        fnv(&mut hash, &bytes);
        table.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            f.to_str().unwrap()
        ));
    }
    table.push_str("];\n");
    table.push_str(&format!("pub const HASH: &str = \"{hash:016x}\";\n"));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_data.rs");
    std::fs::write(out, table).expect("writing embedded_data.rs");
}
