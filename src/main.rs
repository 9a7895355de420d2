//! The `compplan` binary: everything happens in [`compplan::run_cli`].

fn main() -> std::process::ExitCode {
    compplan::run_cli(std::env::args_os())
}
