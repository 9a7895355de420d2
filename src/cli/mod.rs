//! The command line: parsing arguments, reading files, printing results and choosing exit codes.
//!
//! This is one of the two layers allowed to touch the file system and the process (the other is the
//! language server). The commands run the library's [`crate::pipeline`], print what it returns, and
//! end with an [`ExitStatus`], part of the contract: 0 success, 1 errors in plans or data, 2 `diff`
//! found payout changes, 3 a partial run (`--keep-going`), 64 a usage error.

mod base;
mod check;
mod close_order;
mod diff;
mod doc;
mod durable;
mod explain;
mod explain_error;
mod faults;
mod files;
mod fmt;
mod inputs;
mod ledger;
mod outputs;
mod problems;
mod run;
mod statement;
mod synthetic;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// How a command ends: its exit code is part of the contract (the README's table of verbs), so that
/// CI can act on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: done (`diff`: no payout changes; `test`: every expectation holds).
    Ok,
    /// 1: errors in the plans, the data, the ledger or the files; a test that fails; files that
    /// `fmt --check` would change.
    Failed,
    /// 2: `diff` found payout changes, as `terraform plan -detailed-exitcode` does: CI can tell "the
    /// plans change pay" (2) from "something went wrong" (1) and "nothing changes" (0).
    Changed,
    /// 3: a partial run: `run --keep-going` paid the reps without errors and listed the others.
    Partial,
    /// 64: a usage error (an unknown flag, a missing argument, a period that is not one), as
    /// sysexits' EX_USAGE; never 2, which `diff` uses for "payouts change".
    Usage,
}

impl ExitStatus {
    /// The process's exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::Failed => 1,
            ExitStatus::Changed => 2,
            ExitStatus::Partial => 3,
            ExitStatus::Usage => 64,
        }
    }

    /// `Failed` when `failed`, else `Ok`.
    fn failed_if(failed: bool) -> ExitStatus {
        if failed {
            ExitStatus::Failed
        } else {
            ExitStatus::Ok
        }
    }
}

/// `compplan`: compile, test and run sales compensation plans written as text.
#[derive(Debug, Parser)]
#[command(name = "compplan", version, about, long_about = None, arg_required_else_help = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and check plans: syntax, names, types and units, tables, cycles, versions.
    Check(CheckArgs),
    /// Evaluate payouts and attainment for every pay period that ends within a period.
    Run(RunArgs),
    /// Show how each line of one rep's payout came about, down to the credited deals.
    Explain(ExplainArgs),
    /// Write each rep's statement of a period as an HTML page, and an index of them all.
    Statement(StatementArgs),
    /// Write one document per plan and version (HTML or Markdown), for reps to read and sign.
    Doc(DocArgs),
    /// Print the long explanation of a diagnostic code (`compplan explain-error E0101`).
    ExplainError(ExplainErrorArgs),
    /// Generate a deterministic synthetic data set (and optionally a workspace of many plans).
    Gen(GenArgs),
    /// Record a period's payouts in the ledger; a closed period is never rewritten.
    Close(CloseArgs),
    /// Check the ledger folder (`compplan ledger verify --ledger DIR`).
    Ledger(LedgerArgs),
    /// Run the `test` blocks written inside plans: exit 0 when every expectation holds, 1 otherwise.
    Test(TestArgs),
    /// Compare the payouts of the base plans and the working plans on the same data.
    ///
    /// The base is a folder or a git revision. Exits 0 when no payout changes, 2 when payouts
    /// change, 1 on an error, 64 on a usage error.
    Diff(DiffArgs),
    /// Rewrite plan files in the canonical layout, or list those that are not (`--check`).
    Fmt(FmtArgs),
    /// Run the language server on stdin and stdout, for editors (see the README).
    Lsp,
}

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The plans, the data and the period to explain.
    #[command(flatten)]
    pub inputs: Inputs,
    /// The rep whose payout is explained.
    #[arg(long)]
    pub rep: String,
    /// `text`: an indented tree for a person; `json`: the same tree for a program.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// Pay closed periods as this ledger folder records them, as `run --ledger` does.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// How to show errors (default: `json` with `--format json`, else `text`).
    #[arg(long, value_enum)]
    pub error_format: Option<ErrorFormat>,
}

/// Output formats of `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// An indented tree.
    Text,
    /// `{"version": 1, "rep": …, "period": …, "explanations": [tree…]}`.
    Json,
}

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Plan files or folders.
    #[arg(default_value = "plans")]
    pub paths: Vec<PathBuf>,
    /// Only the tests whose full name (`plan › test`) contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Also write the results as JUnit XML to this file, for CI.
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// `github`: also print each failure as a GitHub Actions annotation on stdout.
    #[arg(long, value_enum, default_value_t = TestErrorFormat::Text)]
    pub error_format: TestErrorFormat,
}

/// How `test` shows failures besides its report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestErrorFormat {
    /// The report alone: rustc-style text on stderr.
    Text,
    /// The report, and GitHub Actions workflow annotations on stdout.
    Github,
}

/// What `run` and `close` evaluate: plans, data and a period.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// Plan files or folders.
    #[arg(default_value = "plans")]
    pub paths: Vec<PathBuf>,
    /// The folder with one CSV file per schema table (`reps.csv`, `deals.csv`…).
    #[arg(long)]
    pub data: PathBuf,
    /// A month (`2026-03`), a quarter (`2026-Q1`) or a plan year (`2026`): every pay period that ends
    /// within it.
    #[arg(long, value_parser = parse_period)]
    pub period: crate::eval::period::Requested,
}

/// Arguments of `close`.
#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    /// The plans, the data and the period to close.
    #[command(flatten)]
    pub inputs: Inputs,
    /// The ledger folder (created if it does not exist): one record per closed period.
    #[arg(long)]
    pub ledger: PathBuf,
    /// How to show errors.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    pub error_format: ErrorFormat,
}

/// Arguments of `ledger`.
#[derive(Debug, clap::Args)]
pub struct LedgerArgs {
    /// What to do with the ledger.
    #[command(subcommand)]
    pub command: LedgerCommand,
}

/// The verbs of `ledger`.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check that the records form an unbroken chain: exit 0 when it holds, 1 with the first broken
    /// link (a record deleted, moved, downgraded or edited).
    Verify(LedgerVerifyArgs),
}

/// Arguments of `ledger verify`.
#[derive(Debug, clap::Args)]
pub struct LedgerVerifyArgs {
    /// The ledger folder `compplan close` writes to.
    #[arg(long)]
    pub ledger: PathBuf,
    /// `text`: a summary on stdout, problems on stderr; `json`: one JSON document on stdout.
    #[arg(long, value_enum, default_value_t = LedgerFormat::Text)]
    pub format: LedgerFormat,
}

/// Output formats of `ledger verify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LedgerFormat {
    /// A summary for a person.
    Text,
    /// `{"version": 1, "holds": …, "records": […], "newest": …, "diagnostics": […]}`.
    Json,
}

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The plans to compare with: a folder (its `.plan` files), or else a git revision (`main`,
    /// `HEAD~1`, a commit) at which the working paths are read.
    #[arg(long)]
    pub base: String,
    /// The working plans, the data and the period to evaluate both sides on.
    #[command(flatten)]
    pub inputs: Inputs,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// How to show errors (default: `json` with `--format json`, else `text`).
    #[arg(long, value_enum)]
    pub error_format: Option<ErrorFormat>,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A readable table.
    Text,
    /// One JSON document, amounts as strings.
    Json,
    /// Markdown for a pull request comment.
    Markdown,
}

/// Arguments of `gen`.
#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Number of reps.
    #[arg(long, default_value_t = 1000)]
    pub reps: usize,
    /// Number of deals.
    #[arg(long, default_value_t = 100_000)]
    pub deals: usize,
    /// The seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The plan year.
    #[arg(long, default_value_t = 2026)]
    pub year: i32,
    /// Also write a workspace of this many generated plans into `OUT/plans/`.
    #[arg(long)]
    pub plans: Option<usize>,
    /// The folder to write into.
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The plans, the data and the period to evaluate.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Write `payouts.csv` and `attainment.csv` into this folder (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only this rep.
    #[arg(long)]
    pub rep: Option<String>,
    /// Pay the reps without errors, list the others in `errors.csv`, and exit 3.
    #[arg(long)]
    pub keep_going: bool,
    /// What to print on stdout (default: a table; with `--out`, nothing unless asked).
    #[arg(long, value_enum)]
    pub format: Option<RunFormat>,
    /// Pay closed periods as this ledger folder records them; differences become `adjustment` lines.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// How to show errors (default: `json` with `--format json`, else `text`).
    #[arg(long, value_enum)]
    pub error_format: Option<ErrorFormat>,
}

/// Arguments of `statement`.
#[derive(Debug, clap::Args)]
pub struct StatementArgs {
    /// The plans, the data and the period: a statement for every pay period that ends within it.
    #[command(flatten)]
    pub inputs: Inputs,
    /// The folder the pages and `index.html` are written into (all or nothing).
    #[arg(long)]
    pub out: PathBuf,
    /// Only this rep's statements.
    #[arg(long)]
    pub rep: Option<String>,
    /// Pay closed periods as this ledger folder records them, as `run --ledger` does.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// How to show errors.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    pub error_format: ErrorFormat,
}

/// Arguments of `doc`.
#[derive(Debug, clap::Args)]
pub struct DocArgs {
    /// Plan files or folders.
    #[arg(default_value = "plans")]
    pub paths: Vec<PathBuf>,
    /// The folder the documents are written into (all or nothing).
    #[arg(long)]
    pub out: PathBuf,
    /// The documents' format.
    #[arg(long, value_enum, default_value_t = DocFormat::Html)]
    pub format: DocFormat,
    /// How to show errors.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Text)]
    pub error_format: ErrorFormat,
}

/// Formats of `doc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// A self-contained HTML page, with a print stylesheet.
    Html,
    /// Markdown.
    Markdown,
}

/// Output formats of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// A readable table.
    Text,
    /// `payouts.csv`.
    Csv,
    /// `{"payouts": [...], "attainment": [...]}`.
    Json,
}

fn parse_period(text: &str) -> Result<crate::eval::period::Requested, String> {
    text.parse()
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Plan files or folders (every `.plan` file below a folder is read).
    #[arg(default_value = "plans")]
    pub paths: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    pub format: DiagnosticFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Plan files or folders (every `.plan` file below a folder is formatted).
    #[arg(default_value = "plans")]
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the files that are not formatted, with a short diff, and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `explain-error`.
#[derive(Debug, clap::Args)]
pub struct ExplainErrorArgs {
    /// A code such as `E0101`, or its name such as `duplicate-definition`.
    #[arg(required_unless_present = "catalogue")]
    pub code: Option<String>,
    /// Print every code as Markdown (the source of `docs/errors.md`).
    #[arg(long, conflicts_with = "code")]
    pub catalogue: bool,
}

/// How `run`, `explain`, `close` and `diff` show errors (in the plans, the data, the ledger).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// rustc-style text on stderr, in colour on a terminal.
    Text,
    /// One JSON document on stdout, as `check --format json` prints (`run --format json
    /// --keep-going` puts the diagnostics in its own document).
    Json,
    /// GitHub Actions workflow annotations on stdout.
    Github,
}

/// The error format a verb with an output `--format` uses: as asked, else JSON for JSON output.
fn error_format(asked: Option<ErrorFormat>, json_output: bool) -> ErrorFormat {
    asked.unwrap_or(if json_output { ErrorFormat::Json } else { ErrorFormat::Text })
}

/// Output formats for diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// rustc-style text on stderr, in colour on a terminal.
    Text,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions workflow annotations on stdout.
    Github,
}

/// Runs the command line on `args` (the program's name first, as [`std::env::args_os`] gives them)
/// and returns the process's exit code.
pub fn main<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(ExitStatus::Usage.code()),
            };
        }
    };
    let status = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Statement(args) => statement::run(&args),
        Command::Doc(args) => doc::run(&args),
        Command::ExplainError(args) => explain_error::run(&args),
        Command::Gen(args) => synthetic::run(&args),
        Command::Close(args) => ledger::close(&args),
        Command::Ledger(LedgerArgs { command: LedgerCommand::Verify(args) }) => ledger::verify(&args),
        Command::Test(args) => test::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp => match crate::lsp::run() {
            Ok(()) => ExitStatus::Ok,
            Err(message) => {
                eprintln!("error: the language server stopped: {message}");
                ExitStatus::Failed
            }
        },
    };
    ExitCode::from(status.code())
}

/// Writes to stdout, ignoring a closed pipe (`compplan check --format json | head`): the reader has
/// what it wanted, and printing must not panic.
pub(crate) fn out(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Whether to colour output written to stderr: only on a terminal, and never with `NO_COLOR`.
pub(crate) fn stderr_colour() -> codespan_reporting::term::termcolor::ColorChoice {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if std::io::stderr().is_terminal() && !no_color {
        codespan_reporting::term::termcolor::ColorChoice::Auto
    } else {
        codespan_reporting::term::termcolor::ColorChoice::Never
    }
}
