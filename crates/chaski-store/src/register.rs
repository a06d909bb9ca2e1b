//! The Anexo 01 register of a period, streamed: one query, one row at a time, so exporting a
//! year of attentions never holds the year in memory.

use chaski_core::attention::Attention;
use chaski_core::stats::Period;
use chaski_core::time::{lima_day_end, lima_day_start};

use crate::Store;
use crate::attentions::{JOINS, SELECT, read_attention};
use crate::codec::ts;
use crate::error::Result;

impl Store {
    /// Calls `f` with every attention received in `period` (Lima days), in register order
    /// (reception time, then number), and returns how many there were. Stops at the first error
    /// `f` returns. The period is checked first (end before start is refused on `to`).
    pub fn register_for_each(
        &self,
        period: Period,
        mut f: impl FnMut(&Attention) -> Result<()>,
    ) -> Result<u64> {
        let period = Period::new(period.from, period.to)?;
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "{SELECT} FROM attention a{JOINS} \
                 WHERE a.received_at >= ?1 AND a.received_at < ?2 \
                 ORDER BY a.received_at, a.number"
            ))?;
            let mut rows =
                st.query([ts(lima_day_start(period.from)), ts(lima_day_end(period.to))])?;
            let mut n = 0u64;
            while let Some(r) = rows.next()? {
                f(&read_attention(r)?)?;
                n += 1;
            }
            Ok(n)
        })
    }
}
