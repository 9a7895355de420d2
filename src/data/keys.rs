//! Key columns: every value unique, possibly millions of them (deal ids). They are kept in one text
//! arena, and indexed by a sorted array of hashes built once the table is read — no per-key
//! allocation, no hash table to grow, and duplicates fall next to each other.

use crate::model::RowIdx;
use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// The values of a key column, in row order, in one arena.
#[derive(Debug, Default)]
pub struct KeyColumn {
    text: String,
    ends: Vec<u32>,
}

impl KeyColumn {
    /// The key of a row.
    #[inline]
    pub fn get(&self, row: RowIdx) -> Option<&str> {
        let row = row.index();
        let end = *self.ends.get(row)? as usize;
        let start = if row == 0 { 0 } else { self.ends[row - 1] as usize };
        self.text.get(start..end)
    }

    /// Appends the next row's key (empty for a missing key).
    pub fn push(&mut self, key: &str) {
        self.text.push_str(key);
        self.ends.push(self.text.len() as u32);
    }

    /// Appends another column's keys.
    pub fn append(&mut self, other: KeyColumn) {
        let offset = self.text.len() as u32;
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + offset));
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Reserves room for more rows.
    pub fn reserve(&mut self, rows: usize, bytes: usize) {
        self.ends.reserve(rows);
        self.text.reserve(bytes);
    }
}

fn hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    key.hash(&mut h);
    h.finish()
}

/// The row of each key: an open-addressing table of rows (linear probing, home slot from the top
/// bits of the key's hash), built from the keys sorted by hash so that building it writes the table
/// in order. A lookup costs one or two memory reads, even for ten million keys.
#[derive(Debug, Default)]
pub struct KeyIndex {
    /// Row + 1 of the key in each slot; 0 is an empty slot.
    slots: Vec<u32>,
    shift: u32,
}

impl KeyIndex {
    /// Indexes a key column; returns the index and the rows whose key an earlier row already has,
    /// with that earlier row: `(first, repeated)`.
    pub fn build(keys: &KeyColumn) -> (KeyIndex, Vec<(RowIdx, RowIdx)>) {
        // Every row's hash, empty keys included (an exactly sized parallel collect is much faster
        // than a filtered one); rows with an empty key share the empty text's hash and are left
        // out below.
        let mut entries: Vec<(u64, u32)> = (0..keys.len() as u32)
            .into_par_iter()
            .map(|row| (hash(keys.get(RowIdx::new(row as usize)).unwrap_or_default()), row))
            .collect();
        let key = |row: u32| keys.get(RowIdx::new(row as usize));
        entries.par_sort_unstable();
        let empty = hash("");
        let mut duplicates = Vec::new();
        let mut unique: Vec<(u64, u32)> = Vec::with_capacity(entries.len());
        let mut i = 0;
        while i < entries.len() {
            let mut j = i + 1;
            while j < entries.len() && entries[j].0 == entries[i].0 {
                j += 1;
            }
            // Rows i..j share a hash: compare their texts (a true collision is astronomically rare).
            for b in i..j {
                if entries[b].0 == empty && key(entries[b].1).is_none_or(str::is_empty) {
                    continue;
                }
                match (i..b).find(|&a| key(entries[a].1) == key(entries[b].1)) {
                    Some(a) => {
                        duplicates.push((RowIdx::new(entries[a].1 as usize), RowIdx::new(entries[b].1 as usize)))
                    }
                    None => unique.push(entries[b]),
                }
            }
            i = j;
        }
        duplicates.sort_unstable();
        let bits = (unique.len() * 3 / 2).max(2).next_power_of_two().trailing_zeros();
        let mut index = KeyIndex { slots: vec![0; 1 << bits], shift: 64 - bits };
        let mask = index.slots.len() - 1;
        for (h, row) in unique {
            let mut slot = index.home(h);
            while index.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            index.slots[slot] = row + 1;
        }
        (index, duplicates)
    }

    fn home(&self, hash: u64) -> usize {
        if self.shift >= 64 {
            0
        } else {
            (hash >> self.shift) as usize
        }
    }

    /// The row of a key (the first row, if the key is repeated).
    pub fn get(&self, keys: &KeyColumn, key: &str) -> Option<RowIdx> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut slot = self.home(hash(key));
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return None;
            }
            let row = RowIdx::new(entry as usize - 1);
            if keys.get(row) == Some(key) {
                return Some(row);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Every key's row, for suggestions.
    pub fn rows(&self) -> impl Iterator<Item = RowIdx> + '_ {
        self.slots.iter().filter(|&&e| e != 0).map(|&e| RowIdx::new(e as usize - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_and_duplicates_reported() {
        let mut keys = KeyColumn::default();
        for key in ["A1", "A2", "A1", "B7", "", ""] {
            keys.push(key);
        }
        let (index, duplicates) = KeyIndex::build(&keys);
        let row = RowIdx::new;
        assert_eq!(duplicates, vec![(row(0), row(2))], "empty keys (reported as missing values) are not duplicates");
        assert_eq!(index.get(&keys, ""), None, "nor are they indexed");
        assert_eq!(index.get(&keys, "A2"), Some(row(1)));
        assert_eq!(index.get(&keys, "B7"), Some(row(3)));
        assert_eq!(index.get(&keys, "A3"), None);
        assert_eq!(keys.get(row(1)), Some("A2"));
    }
}
