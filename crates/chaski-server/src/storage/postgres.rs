//! The PostgreSQL backend (the synchronous `postgres` client, run on the storage worker
//! threads). Transactions are READ COMMITTED; the protocol logic takes row locks (an
//! `UPDATE … RETURNING` on the device row, then on the unit row) so that per-unit sequences
//! are assigned one writer at a time and commit in order.
//!
//! Statements are prepared once per connection and cached.

use std::collections::HashMap;

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::{Backend, Dialect, Row, StoreError, Tx, Val};

/// One PostgreSQL connection with its statement cache.
pub struct PgBackend {
    client: Client,
    cache: HashMap<String, Statement>,
}

fn q(e: postgres::Error) -> StoreError {
    if e.is_closed() {
        StoreError::Unavailable(e.to_string())
    } else {
        match e.as_db_error() {
            Some(db) => StoreError::Query(format!("{}: {}", db.code().code(), db.message())),
            None => StoreError::Query(e.to_string()),
        }
    }
}

impl PgBackend {
    /// Connects to `url` (`postgres://user@host:port/db` or `host=/socket/dir …`).
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let client = Client::connect(url, NoTls).map_err(|e| {
            StoreError::Unavailable(format!("no se pudo conectar a PostgreSQL: {e}"))
        })?;
        Ok(Self {
            client,
            cache: HashMap::new(),
        })
    }
}

struct PgTx<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    cache: &'a mut HashMap<String, Statement>,
}

impl PgTx<'_, '_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql).map_err(q)?;
        if self.cache.len() > 256 {
            self.cache.clear();
        }
        self.cache.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

fn bind(params: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|v| match v {
            Val::Int(i) => i as &(dyn ToSql + Sync),
            Val::Text(s) => s as &(dyn ToSql + Sync),
            Val::Ints(v) => v as &(dyn ToSql + Sync),
            Val::Texts(v) => v as &(dyn ToSql + Sync),
        })
        .collect()
}

fn read_row(row: &postgres::Row) -> Result<Row, StoreError> {
    let mut vals = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let t = col.type_();
        let v = if *t == Type::INT8 {
            Val::Int(row.try_get::<_, Option<i64>>(i).map_err(q)?)
        } else if *t == Type::INT4 {
            Val::Int(row.try_get::<_, Option<i32>>(i).map_err(q)?.map(i64::from))
        } else if *t == Type::INT2 {
            Val::Int(row.try_get::<_, Option<i16>>(i).map_err(q)?.map(i64::from))
        } else if *t == Type::BOOL {
            Val::Int(row.try_get::<_, Option<bool>>(i).map_err(q)?.map(i64::from))
        } else {
            Val::Text(row.try_get::<_, Option<String>>(i).map_err(q)?)
        };
        vals.push(v);
    }
    Ok(Row(vals))
}

impl Tx for PgTx<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let stmt = self.statement(sql)?;
        self.tx.execute(&stmt, &bind(params)).map_err(q)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(sql)?;
        let rows = self.tx.query(&stmt, &bind(params)).map_err(q)?;
        rows.iter().map(read_row).collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        // Schema changes invalidate cached plans.
        self.cache.clear();
        self.tx.batch_execute(sql).map_err(q)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

impl Backend for PgBackend {
    fn transaction(
        &mut self,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut tx = self.client.transaction().map_err(q)?;
        let result = f(&mut PgTx {
            tx: &mut tx,
            cache: &mut self.cache,
        });
        match result {
            Ok(()) => tx.commit().map_err(q),
            Err(e) => {
                let _ = tx.rollback();
                Err(e)
            }
        }
    }

    fn is_broken(&self) -> bool {
        self.client.is_closed()
    }
}
