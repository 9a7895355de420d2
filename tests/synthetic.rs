//! The synthetic data of `compplan gen`: deterministic bytes, and the proportions the benchmark
//! relies on.

use compplan::{synthetic_data, SyntheticOutputs, SyntheticSpec};

/// The six tables written for a spec, as text, in the order reps, deals, quotas, splits, fx.
fn generate(seed: u64) -> [String; 5] {
    let mut files: [Vec<u8>; 5] = Default::default();
    let [reps, deals, quotas, splits, fx] = &mut files;
    let spec = SyntheticSpec { reps: 400, deals: 20_000, seed, year: 2026 };
    synthetic_data(spec, SyntheticOutputs { reps, deals, quotas, splits, fx }).expect("writing to memory never fails");
    files.map(|bytes| String::from_utf8(bytes).expect("the generator writes UTF-8"))
}

fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines().skip(1).map(|line| line.split(',').collect()).collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    assert_eq!(generate(7), generate(7));
    assert_ne!(generate(7)[1], generate(8)[1], "another seed gives other deals");
}

#[test]
fn the_data_has_the_shape_the_benchmark_describes() {
    let [reps, deals, quotas, splits, fx] = generate(7);
    let reps = rows(&reps);
    let deals = rows(&deals);
    assert_eq!((reps.len(), deals.len()), (400, 20_000));

    let count = |role: &str| reps.iter().filter(|r| r[2] == role).count();
    let (aes, managers, directors) = (count("AE"), count("Manager"), count("Director"));
    assert!((7..=9).contains(&(aes / managers)), "one manager per about eight reps: {aes} AEs, {managers} managers");
    assert!(directors >= 1 && managers / directors <= 8, "a level of directors above the managers");
    assert_eq!(rows(&quotas).len(), 400, "a quota for every rep");

    // Proportions, with the tolerance of 20,000 draws (one standard deviation of 5% is 0.15%).
    let share = |n: usize| n as f64 / deals.len() as f64;
    let split_deals: std::collections::HashSet<&str> = rows(&splits).into_iter().map(|r| r[0]).collect();
    let split = share(split_deals.len());
    let cancelled = share(deals.iter().filter(|d| !d[9].is_empty()).count());
    let euro = share(deals.iter().filter(|d| d[3] == "EUR").count());
    assert!((0.04..0.06).contains(&split), "about 5% split: {split}");
    assert!((0.007..0.013).contains(&cancelled), "about 1% cancelled: {cancelled}");
    assert!((0.09..0.11).contains(&euro), "about 10% in EUR: {euro}");
    assert_eq!(rows(&fx).len(), 13, "an EUR rate for every month, and one before the year");

    // Hires and terminations during the year, and every deal closed while its owner is employed.
    assert!(reps.iter().any(|r| r[5].starts_with("2026")), "someone is hired during the year");
    assert!(reps.iter().any(|r| !r[6].is_empty()), "someone leaves during the year");
    let employment: std::collections::HashMap<&str, (&str, &str)> = reps.iter().map(|r| (r[0], (r[5], r[6]))).collect();
    for deal in &deals {
        let (hired, terminated) = employment[deal[1]];
        assert!(
            deal[4] >= hired && (terminated.is_empty() || deal[4] <= terminated),
            "{deal:?} closed outside its owner's employment"
        );
    }
}
