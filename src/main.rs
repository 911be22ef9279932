use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    // `COMPLETE=bash allhands -- ...` (from the script `allhands completions bash` prints)
    // answers a completion request and exits before anything else runs.
    clap_complete::CompleteEnv::with_factory(allhands::cmd::Cli::command).complete();
    let cli = allhands::cmd::Cli::parse();
    let ui = allhands::cmd::Ui::new();
    let data_dir = cli.data_dir();
    match allhands::cmd::run(&ui, cli.command, data_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            ui.error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
