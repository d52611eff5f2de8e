//! Completions, the man page and `--version`, generated from the command line itself.

use std::process::Command;

fn rollbook(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args(args)
        .output()
        .expect("run rollbook");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SUBCOMMANDS: [&str; 7] = [
    "init",
    "new",
    "build",
    "serve",
    "check",
    "completions",
    "man",
];

#[test]
fn completions_for_bash_zsh_and_fish_know_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F _rollbook"),
        ("zsh", "#compdef rollbook"),
        ("fish", "complete -c rollbook"),
    ] {
        let (code, stdout, stderr) = rollbook(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains(marker), "{shell} script lacks `{marker}`");
        for sub in SUBCOMMANDS {
            assert!(stdout.contains(sub), "{shell} completion lacks `{sub}`");
        }
        for option in ["format", "min-completeness", "base-url", "sarif"] {
            assert!(
                stdout.contains(option),
                "{shell} completion lacks `{option}`"
            );
        }
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let (code, stdout, stderr) = rollbook(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("tcsh"), "{stderr}");
}

#[test]
fn man_prints_a_roff_page() {
    let (code, stdout, stderr) = rollbook(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    let version = env!("CARGO_PKG_VERSION");
    let th = stdout
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect("a .TH title line");
    assert!(th.starts_with(".TH rollbook 1"), "{th}");
    assert!(th.contains(version), "{th}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
    ] {
        assert!(stdout.lines().any(|l| l == section), "no `{section}`");
    }
    for sub in SUBCOMMANDS {
        assert!(
            stdout.contains(&format!("rollbook\\-{sub}")),
            "the page lists `{sub}`"
        );
    }
}

#[test]
fn version_prints_the_crate_version() {
    let (code, stdout, _) = rollbook(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        format!("rollbook {}", env!("CARGO_PKG_VERSION"))
    );
}
