//! `compplan doc`: one document per plan and version, in HTML or Markdown, written into `--out`
//! together (each under a temporary name first, renamed into place when all are written) — or
//! nothing. The `///` comments come from the checker's source map; everything else from the model.

use super::durable::{self, temp_path};
use super::problems::Problems;
use super::{DocArgs, DocFormat, ExitStatus};
use crate::doc;
use std::path::Path;

pub(crate) fn run(args: &DocArgs) -> ExitStatus {
    let mut problems = Problems::new(args.error_format);
    let status = documents(args, &mut problems);
    problems.finish();
    status
}

fn documents(args: &DocArgs, problems: &mut Problems) -> ExitStatus {
    let plans = match super::inputs::plans(&args.paths, problems, "no document was written") {
        Ok(plans) => plans,
        Err(status) => return status,
    };
    let ws = plans.model();
    let extension = match args.format {
        DocFormat::Html => "html",
        DocFormat::Markdown => "md",
    };
    let mut pages = Vec::new();
    for plan in &ws.plans {
        let comments = match crate::check::plan_source(plans.db(), plans.workspace(), &plan.name, plan.version) {
            Some(map) => doc::Comments {
                plan: map.doc.clone(),
                definitions: map
                    .definitions
                    .iter()
                    .filter_map(|d| d.doc.clone().map(|doc| (d.name.clone(), doc)))
                    .collect(),
                tests: map.tests.iter().map(|t| t.doc.clone()).collect(),
            },
            None => doc::Comments::default(),
        };
        let rendered = doc::document(ws, plan, &comments).and_then(|d| match args.format {
            DocFormat::Html => doc::document_html(&d),
            DocFormat::Markdown => doc::document_markdown(&d),
        });
        match rendered {
            Ok(page) => pages.push((format!("{}-v{}.{extension}", safe(&plan.name), plan.version), page)),
            Err(e) => {
                eprintln!("error: cannot write the document of {} version {}: {e}", plan.name, plan.version);
                return ExitStatus::Failed;
            }
        }
    }
    if let Err(e) = place(&args.out, &pages, extension) {
        eprintln!("error: cannot write to {}: {e}", args.out.display());
        return ExitStatus::Failed;
    }
    eprintln!("wrote {} plan document(s) to {}", pages.len(), args.out.display());
    ExitStatus::Ok
}

/// A plan's name as a file name: anything but a letter, a digit, `-` and `_` written `_`.
fn safe(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' }).collect()
}

/// Writes each page under a temporary name and syncs it, then renames them all into place and
/// syncs the folder; on an error, the temporary files are removed.
fn place(out: &Path, pages: &[(String, String)], extension: &str) -> std::io::Result<()> {
    durable::create_dir(out, "doc")?;
    let suffix = format!(".{extension}");
    durable::clean_temps(out, |name| name.ends_with(&suffix), "doc-clean")?;
    let temps: Vec<std::path::PathBuf> = pages.iter().map(|(name, _)| temp_path(out, name)).collect();
    let result = (|| {
        let mut open = Vec::with_capacity(pages.len());
        for ((_, page), temp) in pages.iter().zip(&temps) {
            open.push(durable::write_temp(temp, page.as_bytes(), "doc")?);
        }
        for ((name, _), temp) in pages.iter().zip(&temps) {
            std::fs::rename(temp, out.join(name))?;
        }
        durable::sync_dir(out, "doc-sync-folder")
    })();
    if result.is_err() {
        for temp in &temps {
            let _ = std::fs::remove_file(temp);
        }
    }
    result
}
