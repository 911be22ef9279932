use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
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
