//! The `compplan` binary: everything happens in [`compplan::cli`].

fn main() -> std::process::ExitCode {
    compplan::cli::main()
}
