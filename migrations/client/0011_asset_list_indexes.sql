-- Issue 3, asset list at 100,000 assets: one index with every low-cardinality filter column.
--
-- The single-column indexes of 0010 ((kind, code), (site, code), …) serve one filter in code
-- order. A combination (kind + site + condition + status) had to walk every asset of the best
-- one of them and read each row to check the others: 12,500 table reads, 70–400 ms. With all
-- filter columns in one index the check happens inside the index (SQLite skip-scans the
-- leading columns a filter leaves out), and only the rows of the page are read: 1–2 ms.
CREATE INDEX asset_facets ON asset (kind, status, condition, site, operability, code);
