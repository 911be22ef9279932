use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    // `COMPLETE=bash allhands -- ...` (from the script `allhands completions bash` prints)
    // answers a completion request and exits before anything else runs.
    clap_complete::CompleteEnv::with_factory(allhands::cli::Cli::command).complete();
    let cli = allhands::cli::Cli::parse();
    match allhands::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let code = error.exit_code();
            let message = error.to_string();
            if !message.is_empty() {
                eprintln!("error: {}", allhands::render::visible(&message));
            }
            ExitCode::from(code)
        }
    }
}
