//! The rows the runtime knows by name: reps (rows of the reps table) and deals (rows of the deals
//! table). Each is a [`RowIdx`] of its own table under a type of its own, so that a deal's row is
//! never read as a rep's; either passes as a row wherever a row of any table is meant
//! ([`crate::data::Dataset`]'s cells take `impl Into<RowIdx>`).

use crate::model::{index_type, RowIdx};

index_type! {
    /// A rep: a row of the reps table (the table the crediting rules name as `reps`).
    pub struct RepIdx(u32);
}

index_type! {
    /// A deal: a row of the deals table (the table the crediting rules credit).
    pub struct DealIdx(u32);
}

impl RepIdx {
    /// The rep of a row of the reps table: a reference to a rep, a row of `reps.csv`.
    #[inline]
    pub const fn of_row(row: RowIdx) -> RepIdx {
        RepIdx::new(row.index())
    }

    /// The rep's row in the reps table.
    #[inline]
    pub const fn row(self) -> RowIdx {
        RowIdx::new(self.index())
    }
}

impl DealIdx {
    /// The deal of a row of the deals table: a reference to a deal, a row of `deals.csv`.
    #[inline]
    pub const fn of_row(row: RowIdx) -> DealIdx {
        DealIdx::new(row.index())
    }

    /// The deal's row in the deals table.
    #[inline]
    pub const fn row(self) -> RowIdx {
        RowIdx::new(self.index())
    }
}

impl From<RepIdx> for RowIdx {
    #[inline]
    fn from(rep: RepIdx) -> RowIdx {
        rep.row()
    }
}

impl From<DealIdx> for RowIdx {
    #[inline]
    fn from(deal: DealIdx) -> RowIdx {
        deal.row()
    }
}
