//! Typed indices: an id says which vector it indexes (a schema table, a plan's quota, a row of a
//! loaded table), so that a measure's index can never be used to read a quota.
//!
//! Every id is a `#[repr(transparent)]` integer with the same layout, hash and order as the bare
//! index it replaces: it costs nothing at run time. An id is made from a position only where the
//! vector is built or searched ([`Idx::new`], [`IdVec::push`], [`IdVec::position`]); everything
//! else passes ids along and indexes with them: an [`IdVec`] is indexed by its id type
//! (`plan.measures[id]`), and [`Idx::index`] gives the position for the rare vector that is not
//! one (a parallel array of flags, an offset table).

use std::fmt;
use std::marker::PhantomData;

/// A typed index into one kind of vector.
pub trait Idx: Copy + Eq + Ord + std::hash::Hash + fmt::Debug {
    /// The id of a position.
    fn new(index: usize) -> Self;

    /// The position the id names.
    fn index(self) -> usize;
}

/// Declares an id: a `#[repr(transparent)]` integer with `new` and `index` (see [`Idx`]).
macro_rules! index_type {
    ($(#[$meta:meta])* $vis:vis struct $name:ident($int:ty);) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(transparent)]
        $vis struct $name($int);

        impl $name {
            /// The id of a position.
            #[inline]
            pub const fn new(index: usize) -> $name {
                $name(index as $int)
            }

            /// The position the id names.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// The ids of a vector (or a table) of `count` items, in order.
            pub fn all(count: usize) -> impl DoubleEndedIterator<Item = $name> + Clone {
                (0..count).map($name::new)
            }

            /// The ids of a range of positions, in order.
            pub fn range(positions: std::ops::Range<usize>) -> impl DoubleEndedIterator<Item = $name> + Clone {
                positions.map($name::new)
            }
        }

        impl $crate::model::Idx for $name {
            #[inline]
            fn new(index: usize) -> $name {
                $name::new(index)
            }

            #[inline]
            fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
pub(crate) use index_type;

index_type! {
    /// An input table: its index in [`super::Schema::tables`] (and in the loaded data set's tables).
    pub struct TableId(usize);
}

index_type! {
    /// A quota of a plan: its index in [`super::Plan::quotas`].
    pub struct QuotaId(usize);
}

index_type! {
    /// A measure of a plan: its index in [`super::Plan::measures`].
    pub struct MeasureId(usize);
}

index_type! {
    /// An attainment of a plan: its index in [`super::Plan::attainments`].
    pub struct AttainmentId(usize);
}

index_type! {
    /// A rate table of a plan (a tier, curve or lookup `table`, not an input table): its index in
    /// [`super::Plan::tables`].
    pub struct RateTableId(usize);
}

index_type! {
    /// An earning of a plan: its index in [`super::Plan::earnings`], and its payout line's.
    pub struct EarningId(usize);
}

index_type! {
    /// A territory: its index in [`super::Workspace::territories`].
    pub struct TerritoryId(usize);
}

index_type! {
    /// A row of a loaded input table, whichever table it is (with a [`super::ColumnId`] it names a
    /// cell). The runtime's rows of the reps and deals tables have ids of their own
    /// (`data::RepIdx`, `data::DealIdx`), which convert to this one.
    pub struct RowIdx(u32);
}

/// A vector indexed by a typed id: `plan.measures[id]` takes a [`MeasureId`] and nothing else.
/// It has a vector's reading methods; positions come out of it as ids ([`IdVec::iter_enumerated`],
/// [`IdVec::ids`], [`IdVec::position`]).
pub struct IdVec<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I) -> I>,
}

impl<I: Idx, T> IdVec<I, T> {
    /// An empty vector.
    pub const fn new() -> IdVec<I, T> {
        IdVec { items: Vec::new(), id: PhantomData }
    }

    /// An empty vector with room for `capacity` items.
    pub fn with_capacity(capacity: usize) -> IdVec<I, T> {
        IdVec { items: Vec::with_capacity(capacity), id: PhantomData }
    }

    /// `count` copies of a value.
    pub fn filled(value: T, count: usize) -> IdVec<I, T>
    where
        T: Clone,
    {
        IdVec::from(vec![value; count])
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True without items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item of an id, if the vector has it.
    #[inline]
    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    /// The item of an id, to change, if the vector has it.
    #[inline]
    pub fn get_mut(&mut self, id: I) -> Option<&mut T> {
        self.items.get_mut(id.index())
    }

    /// Appends an item; its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::new(self.items.len() - 1)
    }

    /// The items in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The items in order, to change.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// The ids of the items, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + Clone {
        (0..self.items.len()).map(I::new)
    }

    /// Each item with its id, in order.
    pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + Clone {
        self.items.iter().enumerate().map(|(i, item)| (I::new(i), item))
    }

    /// The id of the first item that satisfies `f`.
    pub fn position(&self, f: impl FnMut(&T) -> bool) -> Option<I> {
        self.items.iter().position(f).map(I::new)
    }

    /// The items as a slice, in order.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
}

impl<I: Idx, T> Default for IdVec<I, T> {
    fn default() -> IdVec<I, T> {
        IdVec::new()
    }
}

impl<I, T: Clone> Clone for IdVec<I, T> {
    fn clone(&self) -> IdVec<I, T> {
        IdVec { items: self.items.clone(), id: PhantomData }
    }
}

impl<I, T: PartialEq> PartialEq for IdVec<I, T> {
    fn eq(&self, other: &IdVec<I, T>) -> bool {
        self.items == other.items
    }
}

impl<I, T: Eq> Eq for IdVec<I, T> {}

impl<I, T: std::hash::Hash> std::hash::Hash for IdVec<I, T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.items.hash(state);
    }
}

/// Shown as the vector it holds.
impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

impl<I: Idx, T> std::ops::Index<I> for IdVec<I, T> {
    type Output = T;

    #[inline]
    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Idx, T> std::ops::IndexMut<I> for IdVec<I, T> {
    #[inline]
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

impl<I, T> From<Vec<T>> for IdVec<I, T> {
    fn from(items: Vec<T>) -> IdVec<I, T> {
        IdVec { items, id: PhantomData }
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> IdVec<I, T> {
        IdVec { items: iter.into_iter().collect(), id: PhantomData }
    }
}

impl<I, T> IntoIterator for IdVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> std::vec::IntoIter<T> {
        self.items.into_iter()
    }
}

impl<'v, I, T> IntoIterator for &'v IdVec<I, T> {
    type Item = &'v T;
    type IntoIter = std::slice::Iter<'v, T>;

    fn into_iter(self) -> std::slice::Iter<'v, T> {
        self.items.iter()
    }
}

impl<'v, I, T> IntoIterator for &'v mut IdVec<I, T> {
    type Item = &'v mut T;
    type IntoIter = std::slice::IterMut<'v, T>;

    fn into_iter(self) -> std::slice::IterMut<'v, T> {
        self.items.iter_mut()
    }
}

impl<I, T> Extend<T> for IdVec<I, T> {
    fn extend<It: IntoIterator<Item = T>>(&mut self, iter: It) {
        self.items.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_their_own_vector_and_cost_nothing() {
        let mut measures: IdVec<MeasureId, &str> = IdVec::new();
        let bookings = measures.push("bookings");
        let meetings = measures.push("meetings");
        assert_eq!((bookings, meetings), (MeasureId::new(0), MeasureId::new(1)));
        assert_eq!(measures[meetings], "meetings");
        assert_eq!(measures.position(|m| *m == "meetings"), Some(meetings));
        assert_eq!(measures.iter_enumerated().map(|(id, _)| id).collect::<Vec<_>>(), vec![bookings, meetings]);
        assert_eq!(measures.get(MeasureId::new(2)), None);
        assert_eq!(std::mem::size_of::<RowIdx>(), std::mem::size_of::<u32>());
        assert_eq!(std::mem::size_of::<Option<TableId>>(), std::mem::size_of::<Option<usize>>());
        assert_eq!(format!("{:?}", measures), r#"["bookings", "meetings"]"#, "shown as the vector it holds");
    }
}
