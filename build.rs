//! Links the `allhands` binary as a position-dependent executable.
//!
//! A position-independent one spends most of its start-up (about 6 ms of a 10 ms `allhands
//! --version`, measured with `perf`) applying 60,000 relocations to the tables of fonts, time
//! zones and Unicode data, which touches and copies every page they are on. Fixed addresses
//! need none, so every command starts in about a millisecond.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
        // The bench starts itself as the bare parse a command is compared with: it must not
        // start slower than a plain program does.
        println!("cargo:rustc-link-arg-benches=-no-pie");
    }
}
