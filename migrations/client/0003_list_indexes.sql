-- Indexes for the attention list: newest first (by reception time), alone or after one
-- equality filter. Chosen with the store benchmark (crates/chaski-store/examples/bench.rs):
-- the first page of a filtered list of 200,000 attentions reads ~50 index entries instead of
-- sorting the table, and the (capped) count of matches reads the same index. Filters that
-- keep a large share of rows (priority, kind, channel, date range) walk attention_by_received:
-- the first 50 matches and the count capped at 1,000 are found within a few thousand entries.
-- Combinations use the most selective index and filter the rest. Every index costs on every
-- insert: these are the ones the benchmark needs.
CREATE INDEX attention_by_received ON attention (received_at);
CREATE INDEX attention_by_status ON attention (status, received_at);
CREATE INDEX attention_by_service ON attention (service_code, received_at);
CREATE INDEX attention_by_technician ON attention (technician_id, received_at);
