//! `completions` and `man`: what a shell and `man` need, generated from the clap definitions.

use std::path::PathBuf;

use clap::CommandFactory;

use super::Cli;
use super::{Context, Ui};
use crate::error::{Error, Result};

/// Print a shell completion script. For bash, zsh and fish it completes from the data too
/// (handles, rooms, sessions, days, teams), asking `allhands` as you type.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands completions bash > ~/.local/share/bash-completion/completions/allhands\n  \
    allhands completions zsh > ~/.zfunc/_allhands\n  allhands completions fish > ~/.config/fish/completions/allhands.fish\n  \
    echo 'source <(allhands completions bash)' >> ~/.bashrc"
)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub shell: clap_complete::Shell,
}

pub fn completions(ui: &Ui, _ctx: &Context, args: CompletionsArgs) -> Result<()> {
    use clap_complete::Shell;
    use clap_complete::env::{Bash, EnvCompleter, Fish, Zsh};
    let dynamic: Option<&dyn EnvCompleter> = match args.shell {
        Shell::Bash => Some(&Bash),
        Shell::Zsh => Some(&Zsh),
        Shell::Fish => Some(&Fish),
        // PowerShell and Elvish get the static script: commands and flags, not the data.
        _ => None,
    };
    let mut out = Vec::new();
    match dynamic {
        Some(shell) => shell
            .write_registration("COMPLETE", "allhands", "allhands", "allhands", &mut out)
            .map_err(Error::io("completion script"))?,
        None => clap_complete::generate(args.shell, &mut Cli::command(), "allhands", &mut out),
    }
    ui.print(&String::from_utf8_lossy(&out))
}

/// Print the man page (roff).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands man | man -l -\n  allhands man -o allhands.1\n  \
    allhands man --dir man/      one page per command (allhands-book.1, ...)"
)]
pub struct ManArgs {
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "dir")]
    pub output: Option<PathBuf>,
    /// Write allhands.1 and a page per command into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

fn render(command: clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut out)
        .map_err(Error::io("man page"))?;
    Ok(out)
}

pub fn man(ui: &Ui, _ctx: &Context, args: ManArgs) -> Result<()> {
    let mut command = Cli::command();
    command.build();
    match (&args.dir, &args.output) {
        (Some(dir), _) => {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
            ui.output(Some(&dir.join("allhands.1")), &render(command.clone())?)?;
            for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
                let name = format!("allhands-{}", sub.get_name());
                let page = sub.clone().name(name.clone()).bin_name(name.replace('-', " "));
                ui.output(Some(&dir.join(format!("{name}.1"))), &render(page)?)?;
            }
            ui.status(format!("Wrote man pages to {}", dir.display()))
        }
        (None, Some(file)) => ui.output(Some(file), &render(command)?),
        (None, None) => ui.print(&String::from_utf8_lossy(&render(command)?)),
    }
}
