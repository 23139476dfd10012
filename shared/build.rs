//! Embeds every `locales/<language>/*.ftl` file, so a text added in a new file needs no
//! list kept by hand and the binaries read nothing from disk at run time.

use std::{env, fs, path::Path};

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for lang in fs::read_dir(&root).expect("shared/locales exists") {
        let dir = lang.expect("readable").path();
        if !dir.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", dir.display());
        for file in fs::read_dir(&dir).expect("readable") {
            let path = file.expect("readable").path();
            if path.extension().is_some_and(|e| e == "ftl") {
                files.push(path);
            }
        }
    }
    // Sorted, so the generated file (and the build) does not depend on directory order.
    files.sort();
    let mut out = String::from("/// Every `.ftl` file: (language code, file name, contents).\n");
    out.push_str("pub static FILES: &[(&str, &str, &str)] = &[\n");
    for path in &files {
        let lang = path
            .parent()
            .and_then(Path::file_name)
            .expect("in a folder");
        let name = path.file_name().expect("a file");
        out.push_str(&format!(
            "    ({:?}, {:?}, include_str!({:?})),\n",
            lang.to_string_lossy(),
            name.to_string_lossy(),
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("set by cargo")).join("locales.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
