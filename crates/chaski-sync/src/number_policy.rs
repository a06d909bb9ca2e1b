//! The number-block policy of a desktop: which series it keeps topped up, below how many free
//! numbers it asks for more, and how many per block.

use chaski_core::numbering::DocKind;

use crate::store_replica::NumberWant;

/// Number series kept topped up: this year's attentions (many a day) and the documents an
/// enrolled device numbers when it issues them (cargos, traslados, informes de baja). Drafts
/// waiting for a number add their own years (`StoreReplica`).
pub fn desktop_wants(year: i32) -> Vec<NumberWant> {
    let want = |kind: &str, low_water, block_size| NumberWant {
        kind: kind.into(),
        year,
        low_water,
        block_size,
    };
    vec![
        want(crate::wire::KIND_ATTENTION, 20, 100),
        want(DocKind::Assignment.code(), 5, 20),
        want(DocKind::Transfer.code(), 5, 20),
        want(DocKind::Decommission.code(), 3, 10),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desktop_keeps_four_series_of_the_year_topped_up() {
        let wants = desktop_wants(2026);
        let kinds: Vec<&str> = wants.iter().map(|w| w.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                crate::wire::KIND_ATTENTION,
                DocKind::Assignment.code(),
                DocKind::Transfer.code(),
                DocKind::Decommission.code()
            ]
        );
        assert!(wants.iter().all(|w| w.year == 2026));
        assert!(wants.iter().all(|w| w.low_water < u64::from(w.block_size)));
        assert_eq!((wants[0].low_water, wants[0].block_size), (20, 100));
    }
}
