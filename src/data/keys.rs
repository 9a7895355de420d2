//! Key columns: every value unique, possibly millions of them (deal ids). They are kept in one text
//! arena and indexed by hash, rather than interned one allocation at a time.

use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// The values of a key column, in row order, in one arena.
#[derive(Debug, Default)]
pub struct KeyColumn {
    text: String,
    ends: Vec<u32>,
}

impl KeyColumn {
    /// The key of a row.
    pub fn get(&self, row: u32) -> Option<&str> {
        let end = *self.ends.get(row as usize)? as usize;
        let start = if row == 0 { 0 } else { self.ends[row as usize - 1] as usize };
        self.text.get(start..end)
    }

    /// Appends the next row's key (empty for a missing key).
    pub fn push(&mut self, key: &str) {
        self.text.push_str(key);
        self.ends.push(self.text.len() as u32);
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

fn hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    key.hash(&mut h);
    h.finish()
}

/// The row of each key: a hash table of 64-bit hashes, checked against the arena, with a fallback
/// table for the rare keys whose hashes collide.
#[derive(Debug, Default)]
pub struct KeyIndex {
    by_hash: FxHashMap<u64, u32>,
    collisions: FxHashMap<Box<str>, u32>,
}

impl KeyIndex {
    /// Records a row's key; returns the row that already had it, if any.
    pub fn insert(&mut self, keys: &KeyColumn, key: &str, row: u32) -> Option<u32> {
        match self.by_hash.entry(hash(key)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(row);
                None
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let first = *o.get();
                if keys.get(first) == Some(key) {
                    return Some(first);
                }
                match self.collisions.entry(key.into()) {
                    std::collections::hash_map::Entry::Occupied(c) => Some(*c.get()),
                    std::collections::hash_map::Entry::Vacant(c) => {
                        c.insert(row);
                        None
                    }
                }
            }
        }
    }

    /// The row of a key.
    pub fn get(&self, keys: &KeyColumn, key: &str) -> Option<u32> {
        let row = *self.by_hash.get(&hash(key))?;
        if keys.get(row) == Some(key) {
            Some(row)
        } else {
            self.collisions.get(key).copied()
        }
    }

    /// Every key's row, for suggestions.
    pub fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_hash.values().copied().chain(self.collisions.values().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_and_duplicates_reported() {
        let mut keys = KeyColumn::default();
        let mut index = KeyIndex::default();
        for (row, key) in ["A1", "A2", "A1"].iter().enumerate() {
            keys.push(key);
            let first = index.insert(&keys, key, row as u32);
            assert_eq!(first, if row == 2 { Some(0) } else { None });
        }
        assert_eq!(index.get(&keys, "A2"), Some(1));
        assert_eq!(index.get(&keys, "A3"), None);
        assert_eq!(keys.get(1), Some("A2"));
    }
}
