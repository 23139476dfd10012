//! Recorded payloads (see `fixtures/SOURCES.md` for where each came from).

use std::path::PathBuf;

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The workspace root (where `events/` lives).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

pub fn text(relative: &str) -> String {
    let path = dir().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

pub fn json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&text(relative)).unwrap_or_else(|e| panic!("fixture {relative}: {e}"))
}
