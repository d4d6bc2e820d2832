//! The committed `include/tessera_client.h` is what cbindgen makes of the Rust today: a
//! changed signature without a regenerated header fails here, not in a vendor's build.

use std::path::Path;

#[test]
fn header_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    // The sources alone (no `cargo metadata`, which would wait on the lock cargo test holds).
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen parses the crate")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = dir.join("include/tessera_client.h");
    if std::env::var_os("TESSERA_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale; regenerate it with TESSERA_BLESS=1 cargo test -p tessera-client-ffi \
         --test header\n--- generated ---\n{generated}",
        path.display()
    );
}
