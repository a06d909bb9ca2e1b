//! Writes (or, with `--check`, verifies) `ui/src/lib/backend/bindings.ts` from the commands
//! declared in `src-tauri/src/commands.rs`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|arg| arg == "--check");
    let path = chaski_tauri::bindings::bindings_path();
    let current = chaski_tauri::bindings::current();
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == current {
            eprintln!("bindings up to date: {}", path.display());
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "bindings out of date: {} — run `cargo run -p chaski-tauri --bin chaski-bindings` \
                 and commit the result",
                path.display()
            );
            ExitCode::FAILURE
        }
    } else if let Err(err) = std::fs::write(&path, current) {
        eprintln!("cannot write {}: {err}", path.display());
        ExitCode::FAILURE
    } else {
        eprintln!("wrote {}", path.display());
        ExitCode::SUCCESS
    }
}
