use std::process::ExitCode;

// Loading a folder makes many small strings; mimalloc allocates and frees them at a fraction of
// the system allocator's cost (see benches/plan.rs for the command timings). Its version 2
// (Cargo.toml's `v2`): version 3 backs its arenas with 2 MiB pages, which the kernel zeroes
// whole on first touch, so a stress-size command touched 65 MiB instead of 38 MiB and took
// 15-25% longer.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
