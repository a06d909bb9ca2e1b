-- Indexes for the attention list: newest first (by reception time), alone or after one
-- equality filter. Chosen with the store benchmark (crates/chaski-store/examples/bench.rs):
-- the first page of a filtered list of 200,000 attentions reads ~50 index entries instead of
-- sorting the table, and the (capped) count of matches reads the same index. Channel and
-- date range use attention_by_received; combinations use the most selective index and
-- filter the rest. Every index costs on every insert: these are the ones the benchmark needs.
CREATE INDEX attention_by_received ON attention (received_at);
CREATE INDEX attention_by_status ON attention (status, received_at);
CREATE INDEX attention_by_service ON attention (service_code, received_at);
CREATE INDEX attention_by_priority ON attention (priority, received_at);
CREATE INDEX attention_by_technician ON attention (technician_id, received_at);
CREATE INDEX attention_by_kind ON attention (kind, received_at);
