//! The command line: parses arguments, finds the site, runs a command and sets the exit status.

pub(crate) mod args;
pub(crate) mod error;
pub(crate) mod replicate;
pub(crate) mod sarif;
pub(crate) mod scaffold;
pub(crate) mod shellgen;

use crate::console;
use crate::domain::answers::Date;
use crate::domain::diag::{Diagnostic, Kind};
use crate::output::guard;
use crate::output::staging::Staging;
use crate::pipeline::stream::{Discard, ToStaging};
use crate::pipeline::{self, Options};
use crate::render::status::Status;
use crate::{errln, outln};

pub(crate) use self::args::{Cli, Command, Format};
pub(crate) use self::error::{Error, OK};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The nearest folder from `start` upward that holds `site.toml`.
pub(crate) fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(crate::domain::config::FILE).is_file())
        .map(Path::to_path_buf)
}

fn today_utc() -> Date {
    time::OffsetDateTime::now_utc().date()
}

fn site_root(cli_root: Option<&Path>) -> Result<PathBuf, Error> {
    match cli_root {
        // Absolute and without `.` or `..` from here on (`--root ..`), so every path the
        // site derives from it compares with the paths found on disk.
        Some(dir) if dir.join(crate::domain::config::FILE).is_file() => {
            dir.canonicalize().map_err(|source| Error::Resolve {
                path: dir.to_path_buf(),
                source,
            })
        }
        Some(dir) => Err(Error::NoSiteIn(dir.to_path_buf())),
        None => {
            let cwd = std::env::current_dir().map_err(Error::CurrentDir)?;
            find_root(&cwd).ok_or(Error::NoSiteHere)
        }
    }
}

/// Parses the process's arguments, runs the command and returns the exit status.
pub fn main() -> u8 {
    finish(
        <Cli as clap::Parser>::try_parse()
            .map_err(Error::from)
            .and_then(execute),
    )
}

/// Prints the error, if any, and gives the exit status.
fn finish(result: Result<(), Error>) -> u8 {
    match result {
        Ok(()) => OK,
        Err(e) => {
            e.print();
            e.exit_code()
        }
    }
}

fn execute(cli: Cli) -> Result<(), Error> {
    let today = cli.today.unwrap_or_else(today_utc);
    let root = cli.root;
    let opts = |drafts, base_url| Options {
        drafts,
        base_url,
        today,
    };
    match cli.command {
        Command::Init { dir } => {
            let dir = dir.or(root).unwrap_or_else(|| PathBuf::from("."));
            print_lines(scaffold::init(&dir)?);
            Ok(())
        }
        Command::New { slug, from } => {
            let site = site_root(root.as_deref())?;
            print_lines(match from {
                Some(from) => replicate::new_from(&site, &slug, &from)?,
                None => scaffold::new_pack(&site, &slug, today)?,
            });
            Ok(())
        }
        Command::Build {
            output,
            base_url,
            drafts,
            offline,
            force,
        } => {
            if let Some(Err(message)) = base_url.as_deref().map(crate::domain::config::base_path) {
                return Err(Error::BadArgument {
                    flag: "--base-url",
                    message,
                });
            }
            let site = site_root(root.as_deref())?;
            build(&site, &opts(drafts, base_url), output, offline, force)
        }
        Command::Serve {
            port,
            interface,
            open,
            drafts,
        } => {
            let site = site_root(root.as_deref())?;
            let settings = crate::serve::Settings {
                interface: &interface,
                port,
                open,
            };
            crate::serve::run(&site, opts(drafts, None), &settings).map_err(Error::from)
        }
        Command::Check {
            format,
            min_completeness,
            drafts,
        } => {
            let site = site_root(root.as_deref())?;
            check(&site, &opts(drafts, None), format, min_completeness)
        }
        Command::Completions { shell } => {
            print_bytes(&crate::cli::shellgen::completions(shell));
            Ok(())
        }
        Command::Man => {
            print_bytes(&crate::cli::shellgen::man()?);
            Ok(())
        }
    }
}

/// Prints a command's report to stdout, line by line, ending quietly on a closed pipe.
fn print_lines(lines: Vec<String>) {
    for l in lines {
        if !outln!("{l}") {
            break;
        }
    }
}

/// Prints generated text to stdout, ending quietly on a closed pipe.
fn print_bytes(bytes: &[u8]) {
    console::out(format_args!("{}", String::from_utf8_lossy(bytes)));
}

fn print_text(diags: &[Diagnostic]) {
    for d in diags {
        if !crate::console::err(format_args!("{}", d.to_text())) {
            break;
        }
    }
}

fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn build(
    root: &Path,
    opts: &Options,
    output: Option<PathBuf>,
    offline: bool,
    force: bool,
) -> Result<(), Error> {
    let started = Instant::now();
    let out_dir = output.map_or_else(
        || root.join("public"),
        |o| if o.is_absolute() { o } else { root.join(o) },
    );
    // Before anything is built, moved or removed.
    let target = guard::check(root, &out_dir, force).map_err(Error::OutputRefused)?;
    let out_dir = target.path();
    let (report, staged) = pipeline::stream::build_into(root, opts, |base| {
        Ok(ToStaging {
            staging: Staging::prepare(&target)?,
            offline: offline.then(|| base.to_string()),
        })
    })?;
    print_text(&report.diagnostics);
    let Some(staged) = staged else {
        return Err(Error::BuildFailed {
            summary: summary(&report.diagnostics),
            output: out_dir.to_path_buf(),
        });
    };
    for w in staged.staging.commit()? {
        errln!("warning: {w}");
    }
    errln!(
        "built {} packs, {} pages into {} in {} ms ({})",
        report.status.packs.len(),
        report.pages,
        out_dir.display(),
        started.elapsed().as_millis(),
        summary(&report.diagnostics)
    );
    Ok(())
}

/// The completeness table of `check`.
pub(crate) fn table(status: &Status) -> String {
    let mut out = String::new();
    let width = status
        .packs
        .iter()
        .map(|p| p.slug.len())
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "{:<width$}  {:>8}  {:<5}  {:<5}  {}\n",
        "pack", "complete", "gate", "ready", "phase"
    ));
    for p in &status.packs {
        let gate = serde_json::to_value(p.gate)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<width$}  {:>7}%  {:<5}  {:<5}  {}\n",
            p.slug,
            p.completeness,
            gate,
            if p.ready { "yes" } else { "no" },
            p.phase.as_deref().unwrap_or("-")
        ));
        let gaps: Vec<String> = p
            .sections
            .iter()
            .filter(|s| s.completeness < 100)
            .map(|s| {
                format!(
                    "{} {}% (missing {})",
                    s.section,
                    s.completeness,
                    s.missing.join(", ")
                )
            })
            .collect();
        for g in gaps {
            out.push_str(&format!("{:<width$}    {g}\n", ""));
        }
    }
    out
}

fn check(root: &Path, opts: &Options, format: Format, min: Option<u32>) -> Result<(), Error> {
    // Every page is rendered, to find template errors, and none is kept.
    let (built, _) = match pipeline::stream::build_into(root, opts, |_| Ok(Discard)) {
        Ok(done) => done,
        Err(never) => match never {},
    };
    let mut diags = built.diagnostics;
    if let Some(min) = min {
        for p in &built.status.packs {
            if p.completeness < min {
                diags.push(Diagnostic::error(
                    Kind::MinCompleteness,
                    &format!("content/{}", p.slug),
                    1,
                    1,
                    format!("pack `{}` is {}% complete, below --min-completeness {min}; fill its missing fields", p.slug, p.completeness),
                ));
            }
        }
    }
    let failed = diags.iter().any(Diagnostic::is_error);
    match format {
        Format::Text => {
            print_text(&diags);
            console::out(format_args!("{}", table(&built.status)));
            errln!("{}", summary(&diags));
        }
        Format::Github => {
            let _ = diags.iter().all(|d| outln!("{}", d.to_github()))
                && console::out(format_args!("{}", table(&built.status)))
                && outln!("{}", summary(&diags));
        }
        Format::Json => {
            let mut value = serde_json::to_value(&built.status).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.insert(
                    "diagnostics".into(),
                    serde_json::to_value(&diags).unwrap_or_default(),
                );
            }
            outln!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Format::Sarif => {
            let log = crate::cli::sarif::log(&diags, &crate::cli::sarif::repo_prefix(root));
            outln!("{}", serde_json::to_string_pretty(&log).unwrap_or_default());
        }
    }
    if failed {
        Err(Error::CheckFailed)
    } else {
        Ok(())
    }
}
