//! The use cases of the desktop app, one function per command.
//!
//! Every command the UI can invoke has here a function of the same name that takes the app's
//! state and the command's arguments and returns `Result<_, IpcError>`. The Tauri shell
//! (`src-tauri`) declares each command once, with its documentation, and its body is one call
//! to the function here; the integration tests of this crate call the same functions by name
//! with JSON arguments, as the UI does, without Tauri.

pub mod assets;
pub mod attentions;
pub mod decommission;
pub mod diagnostics;
pub mod maintenance;
pub mod pdfs;
pub mod start;
pub mod sync;

pub use assets::*;
pub use attentions::*;
pub use decommission::*;
pub use diagnostics::*;
pub use maintenance::*;
pub use pdfs::*;
pub use start::*;
pub use sync::*;
