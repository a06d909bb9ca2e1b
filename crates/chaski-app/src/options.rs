//! The command line of the desktop app (`chaski --demo --data-dir DIR`).

use std::path::PathBuf;

/// How the app was started from the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--demo`: load the demo data set once the database is open (the UI does it, showing
    /// progress and errors, when `app_status` says `demo_pending`).
    pub demo: bool,
    /// `--data-dir DIR` (or `--data-dir=DIR`): where the database lives, ahead of
    /// `CHASKI_DATA_DIR` (each end-to-end scenario starts the app on its own fresh directory).
    pub data_dir: Option<PathBuf>,
}

impl Options {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        let mut options = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--demo" {
                options.demo = true;
            } else if arg == "--data-dir" {
                options.data_dir = args.next().filter(|d| !d.is_empty()).map(PathBuf::from);
            } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
                options.data_dir = (!dir.is_empty()).then(|| PathBuf::from(dir));
            }
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Options {
        Options::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn command_line_options() {
        assert_eq!(parse(&[]), Options::default());
        assert!(parse(&["--demo"]).demo);
        let both = parse(&["--data-dir", "/tmp/x", "--demo"]);
        assert!(both.demo);
        assert_eq!(both.data_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(
            parse(&["--data-dir=/tmp/y"]).data_dir,
            Some(PathBuf::from("/tmp/y"))
        );
        // A flag without its value is ignored rather than taken as a directory named "".
        assert_eq!(parse(&["--data-dir"]).data_dir, None);
        assert_eq!(parse(&["--data-dir="]).data_dir, None);
    }
}
