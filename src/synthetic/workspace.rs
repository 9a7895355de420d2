//! A generated plan workspace: the example schema and crediting rules and many plans, for the
//! compiler's benchmark (`compplan gen --plans N`).

/// The files of a workspace with `count` plans: `(file name, text)`, deterministic.
pub fn plans(count: usize) -> Vec<(String, String)> {
    let mut files =
        vec![("schema.plan".to_string(), SCHEMA.to_string()), ("crediting.plan".to_string(), CREDITING.to_string())];
    for n in 0..count {
        let low = 3 + n % 4;
        let mid = low + 2 + n % 3;
        let high = mid + 3 + n % 5;
        let region = ["EMEA", "AMER", "APAC"][n % 3];
        files.push((
            format!("plan_{n:04}.plan"),
            format!(
                r#"/// Generated plan {n}: account executives in {region}, segment {segment}.
plan ae_{n:04} "Account Executive {n}" version 1 {{
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is "AE" and rep.region is "{region}"

  quota bookings_quota = quotas.amount split evenly by month, prorated by months employed
  measure bookings = sum of credit.amount where deal.kind is not "renewal"
  measure renewals = sum of credit.amount where deal.kind is "renewal"
  attainment att = bookings ytd / bookings_quota ytd

  table base_rate marginal on att {{
    from 0%   to 50%  : {low}%
    from 50%  to 100% : {mid}%
    100% and above    : {high}%
  }}
  table product_rate lookup on deal.product {{
    "Platform" : 2%
    "Add-on"   : 1%
    otherwise  : 0.5%
  }}
  measure product_bonus = sum of credit.amount × product_rate where deal.new_logo

  earn commission = base_rate of bookings ytd, capped at 3 × rep.target_incentive per year
  earn renewal_commission = 1% of renewals period
  earn product_kicker = product_bonus period
  earn quarter_bonus = {bonus} USD once per quarter when bookings quarter / bookings_quota quarter >= 100%
}}
"#,
                segment = n % 7,
                bonus = 1000 + 500 * (n % 5),
            ),
        ));
    }
    files
}

const SCHEMA: &str = r#"schema reps {
  id: text key
  name: text
  role: text
  region: text
  manager: ref reps optional
  hired: date
  terminated: date optional
  target_incentive: money USD
}
schema deals {
  id: text key
  owner: ref reps
  amount: money in currency
  currency: currency
  closed: date
  product: text
  region: text
  kind: text
  new_logo: bool
  cancelled: date optional
  paid: date optional
}
schema quotas { rep: ref reps; year: year; amount: money USD }
schema splits { deal: ref deals; rep: ref reps; share: percent }
schema fx { currency: currency; date: date; rate: decimal }
"#;

const CREDITING: &str = r#"credit {
  convert deal.amount to USD using fx on deal.closed
  deal to deal.owner on deal.closed
  deal by splits
  rollup to rep.manager
  clawback when deal.cancelled within 90 days of deal.closed
  employed from rep.hired to rep.terminated
}
"#;
