//! `compplan gen`: write a synthetic data set (and a plan workspace) to a folder.

use super::{ExitStatus, GenArgs};
use crate::synthetic;
use std::fs::File;
use std::io::{BufWriter, Write};

pub(crate) fn run(args: &GenArgs) -> ExitStatus {
    match write(args) {
        Ok(()) => ExitStatus::Ok,
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", args.out.display());
            ExitStatus::Failed
        }
    }
}

fn write(args: &GenArgs) -> std::io::Result<()> {
    std::fs::create_dir_all(&args.out)?;
    let open = |name: &str| File::create(args.out.join(name)).map(|f| BufWriter::with_capacity(1 << 20, f));
    let (mut reps, mut deals, mut quotas, mut splits, mut fx) =
        (open("reps.csv")?, open("deals.csv")?, open("quotas.csv")?, open("splits.csv")?, open("fx.csv")?);
    let spec = synthetic::Spec { reps: args.reps, deals: args.deals, seed: args.seed, year: args.year };
    let counts = synthetic::data(
        spec,
        synthetic::Outputs {
            reps: &mut reps,
            deals: &mut deals,
            quotas: &mut quotas,
            splits: &mut splits,
            fx: &mut fx,
        },
    )?;
    for mut w in [reps, deals, quotas, splits, fx] {
        w.flush()?;
    }
    eprintln!(
        "wrote {} reps, {} deals, {} quotas, {} split rows and {} exchange rates to {}",
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4],
        args.out.display()
    );
    if let Some(count) = args.plans {
        let dir = args.out.join("plans");
        std::fs::create_dir_all(&dir)?;
        for (name, text) in synthetic::plans(count) {
            std::fs::write(dir.join(name), text)?;
        }
        eprintln!("wrote a workspace of {count} plans to {}", dir.display());
    }
    Ok(())
}
