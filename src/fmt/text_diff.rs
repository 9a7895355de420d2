//! A short unified diff between a file and its formatted text, for `compplan fmt --check`: the
//! first few hunks of a line diff (longest common subsequence), with two lines of context.

/// Lines of context around each change.
const CONTEXT: usize = 2;
/// Above this many cells the middle of the two texts is shown as one replaced block instead of
/// being diffed line by line (a formatter's changes are small; this only bounds the worst case).
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The first `max_hunks` hunks of a unified diff from `old` to `new`, headed by `---`/`+++` lines
/// naming `path`; empty when the texts are equal.
pub fn unified_diff(path: &str, old: &str, new: &str, max_hunks: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let script = edit_script(&a, &b);
    if script.iter().all(|(op, _)| *op == Op::Same) {
        return String::new();
    }
    let mut out = format!("--- {path}\n+++ {path} (formatted)\n");
    let changed: Vec<usize> =
        script.iter().enumerate().filter(|(_, (op, _))| *op != Op::Same).map(|(i, _)| i).collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + CONTEXT + 1).min(script.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    for &(start, end) in hunks.iter().take(max_hunks) {
        let (mut old_line, mut new_line) = (1, 1);
        for (op, _) in &script[..start] {
            old_line += usize::from(*op != Op::Added);
            new_line += usize::from(*op != Op::Removed);
        }
        let old_count = script[start..end].iter().filter(|(op, _)| *op != Op::Added).count();
        let new_count = script[start..end].iter().filter(|(op, _)| *op != Op::Removed).count();
        out.push_str(&format!("@@ -{old_line},{old_count} +{new_line},{new_count} @@\n"));
        for (op, line) in &script[start..end] {
            let mark = match op {
                Op::Same => ' ',
                Op::Removed => '-',
                Op::Added => '+',
            };
            out.push_str(&format!("{mark}{line}\n"));
        }
    }
    if hunks.len() > max_hunks {
        out.push_str(&format!(
            "… and {} more change{}\n",
            hunks.len() - max_hunks,
            if hunks.len() - max_hunks == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The lines of both texts in order, each marked same, removed or added.
fn edit_script<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Op, &'t str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut script: Vec<(Op, &str)> = a[..prefix].iter().map(|l| (Op::Same, *l)).collect();
    if mid_a.len().saturating_mul(mid_b.len()) > MAX_CELLS {
        script.extend(mid_a.iter().map(|l| (Op::Removed, *l)));
        script.extend(mid_b.iter().map(|l| (Op::Added, *l)));
    } else {
        script.extend(lcs_script(mid_a, mid_b));
    }
    script.extend(a[a.len() - suffix..].iter().map(|l| (Op::Same, *l)));
    script
}

fn lcs_script<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Op, &'t str)> {
    let (n, m) = (a.len(), b.len());
    // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lengths = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[at(i, j)] = if a[i] == b[j] {
                lengths[at(i + 1, j + 1)] + 1
            } else {
                lengths[at(i + 1, j)].max(lengths[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut script = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            script.push((Op::Same, a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lengths[at(i + 1, j)] >= lengths[at(i, j + 1)]) {
            script.push((Op::Removed, a[i]));
            i += 1;
        } else {
            script.push((Op::Added, b[j]));
            j += 1;
        }
    }
    script
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified_diff("x", "a\nb\n", "a\nb\n", 3), "");
    }

    #[test]
    fn a_changed_line_is_shown_with_its_context() {
        let old = "1\n2\n3\nold\n5\n6\n7\n";
        let new = "1\n2\n3\nnew\n5\n6\n7\n";
        assert_eq!(
            unified_diff("p.plan", old, new, 3),
            "--- p.plan\n+++ p.plan (formatted)\n@@ -2,5 +2,5 @@\n 2\n 3\n-old\n+new\n 5\n 6\n"
        );
    }

    #[test]
    fn hunks_beyond_the_limit_are_counted() {
        let old = "a\n1\n2\n3\n4\n5\n6\nb\n";
        let new = "A\n1\n2\n3\n4\n5\n6\nB\n";
        let diff = unified_diff("p", old, new, 1);
        assert!(diff.contains("-a\n+A\n"), "{diff}");
        assert!(!diff.contains("+B"), "{diff}");
        assert!(diff.ends_with("… and 1 more change\n"), "{diff}");
    }
}
