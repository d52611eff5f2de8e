//! Why a command failed, the line it prints and the exit status it sets, in one place.

use std::io;
use std::path::PathBuf;

/// Success.
pub(crate) const OK: u8 = 0;
/// The content has errors (or a pack is below `--min-completeness`).
pub(crate) const CONTENT_ERROR: u8 = 1;
/// The command was used wrongly: bad arguments, no site found, a file in the way.
pub(crate) const USAGE_ERROR: u8 = 2;

/// Why a command did not succeed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The arguments do not parse, or `--help` / `--version` was asked for (clap reports
    /// those as errors too, printed to stdout).
    #[error("{0}")]
    Arguments(#[from] clap::Error),
    /// An argument parses but its value is wrong.
    #[error("{flag}: {message}")]
    BadArgument { flag: &'static str, message: String },
    /// `--root` names a folder without `site.toml`.
    #[error("no site.toml in {}; pass the folder that holds site.toml, or create a site with `rollbook init`", .0.display())]
    NoSiteIn(PathBuf),
    /// No `site.toml` in the current folder or its parents.
    #[error("no site.toml in this folder or its parents; run rollbook inside a site, pass --root DIR, or create one with `rollbook init`")]
    NoSiteHere,
    /// The site folder given with `--root` cannot be resolved.
    #[error("cannot resolve {}: {source}", path.display())]
    Resolve { path: PathBuf, source: io::Error },
    /// The current folder cannot be read.
    #[error("cannot read the current folder: {0}")]
    CurrentDir(#[source] io::Error),
    /// `init` into a folder that already holds a site.
    #[error("{} already holds a site (site.toml exists); nothing was written. Use `rollbook new <slug>` to add a pack", .0.display())]
    SiteExists(PathBuf),
    /// `new` with a slug that is not one.
    #[error("`{0}` is not a valid pack slug; use lowercase letters, digits and hyphens, e.g. `support-triage`")]
    BadSlug(String),
    /// `new` with a slug the site uses itself.
    #[error("`{0}` is used by the site itself; choose another slug")]
    ReservedSlug(String),
    /// `new` for a pack whose nine files all exist.
    #[error("content/{0}/ already has all nine section files; nothing was written")]
    PackExists(String),
    /// `new --from` names no pack it can start from (the message says why and lists them).
    #[error("{0}")]
    FromPack(String),
    /// A scaffold folder cannot be created.
    #[error("cannot create {}: {source}", path.display())]
    CreateFolder { path: PathBuf, source: io::Error },
    /// A scaffold file cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    WriteFile { path: PathBuf, source: io::Error },
    /// The man page cannot be rendered.
    #[error("cannot render the man page: {0}")]
    Man(#[source] io::Error),
    /// The output folder guard refused the output path (the message says why).
    #[error("{0}")]
    OutputRefused(String),
    /// Writing the built site failed; the old output is untouched.
    #[error("{0}; the output folder was left as it was")]
    Write(#[from] crate::output::staging::WriteError),
    /// `serve` cannot listen on the address and port asked for.
    #[error("{0}")]
    Listen(String),
    /// `serve` cannot watch the site folder.
    #[error("{0}")]
    Watch(String),
    /// The build found errors in the content (already printed); nothing was written.
    #[error("build failed: {summary}; {} left as it was", output.display())]
    BuildFailed { summary: String, output: PathBuf },
    /// `check` found errors, or a pack below `--min-completeness` (already printed).
    #[error("the content has errors")]
    CheckFailed,
}

impl From<crate::serve::Error> for Error {
    fn from(e: crate::serve::Error) -> Self {
        match e {
            crate::serve::Error::Listen(m) => Error::Listen(m),
            crate::serve::Error::Watch(m) => Error::Watch(m),
        }
    }
}

impl Error {
    /// The exit status this error ends the command with.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Arguments(e) if !e.use_stderr() => OK,
            Error::Arguments(_)
            | Error::BadArgument { .. }
            | Error::NoSiteIn(_)
            | Error::NoSiteHere
            | Error::Resolve { .. }
            | Error::CurrentDir(_)
            | Error::SiteExists(_)
            | Error::BadSlug(_)
            | Error::ReservedSlug(_)
            | Error::PackExists(_)
            | Error::FromPack(_)
            | Error::CreateFolder { .. }
            | Error::WriteFile { .. }
            | Error::Man(_)
            | Error::OutputRefused(_)
            | Error::Write(_)
            | Error::Listen(_) => USAGE_ERROR,
            Error::Watch(_) | Error::BuildFailed { .. } | Error::CheckFailed => CONTENT_ERROR,
        }
    }

    /// Prints what the user should read, to stderr (clap's help and version to stdout).
    pub(crate) fn print(&self) {
        match self {
            Error::Arguments(e) => {
                let _ = e.print();
            }
            Error::BuildFailed { .. } => {
                crate::errln!("{self}");
            }
            // Its diagnostics and summary are printed already.
            Error::CheckFailed => {}
            _ => {
                crate::errln!("error: {self}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_and_content_errors_have_their_codes() {
        assert_eq!(Error::NoSiteHere.exit_code(), USAGE_ERROR);
        assert_eq!(Error::Listen("x".into()).exit_code(), USAGE_ERROR);
        assert_eq!(Error::CheckFailed.exit_code(), CONTENT_ERROR);
        let built = Error::BuildFailed {
            summary: "1 error, 0 warnings".into(),
            output: PathBuf::from("public"),
        };
        assert_eq!(built.exit_code(), CONTENT_ERROR);
        assert_eq!(
            built.to_string(),
            "build failed: 1 error, 0 warnings; public left as it was"
        );
    }

    #[test]
    fn help_is_not_a_failure() {
        use clap::Parser;
        let help = crate::cli::args::Cli::try_parse_from(["rollbook", "--help"]).unwrap_err();
        assert_eq!(Error::from(help).exit_code(), OK);
        let bad = crate::cli::args::Cli::try_parse_from(["rollbook", "--nope"]).unwrap_err();
        assert_eq!(Error::from(bad).exit_code(), USAGE_ERROR);
    }
}
