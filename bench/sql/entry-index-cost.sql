-- What each secondary index of ledger_entries costs at ingest: the same 2 x 200,000 entry-shaped rows COPYed into
-- three tables that differ only in their indexes (sequential event ids per publisher, as the feed generator writes).
-- Run on a scratch database, for example:
--   psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE index_cost' && psql -h 127.0.0.1 -U postgres -d index_cost -f bench/sql/entry-index-cost.sql
-- It writes two files under /tmp. Session 6 measured (ms, first and second 200,000 rows): all three secondary
-- indexes 4,545 and 4,870; without (event_publisher, event_id) 3,584 and 2,533; primary key only 1,772 and 1,769.
\timing on
DROP TABLE IF EXISTS src, e_all, e_no_event_index, e_pk_only;
CREATE TABLE src AS
  SELECT g AS seq, 'country:' || chr(65 + (g * 7) % 26) || chr(65 + (g * 13) % 26) AS account_id, (g % 1000) * 15832::numeric AS delta_tpp,
         g * 15832::numeric AS balance_tpp, 790000000::numeric AS cap_tpp, (ARRAY['nvidia', 'amd', 'intel', 'aws', 'azure'])[1 + g % 5] AS event_publisher,
         (ARRAY['nvidia', 'amd', 'intel', 'aws', 'azure'])[1 + g % 5] || '-' || lpad((g / 5)::text, 7, '0') AS event_id, 'chip.shipment' AS event_type,
         now() - ((400000 - g) || ' seconds')::interval AS occurred_at, 'chips.shipments.v1' AS source_topic, g % 6 AS source_partition, g::bigint AS source_offset,
         'ai-diffusion-2025' AS policy_id, '1' AS policy_version, decode(md5(g::text) || md5(g::text), 'hex') AS prev_hash,
         decode(md5((g + 1)::text) || md5(g::text), 'hex') AS hash
    FROM generate_series(1, 400000) g;
\copy (SELECT * FROM src WHERE seq <= 200000) TO '/tmp/entry-index-cost-1.tsv'
\copy (SELECT * FROM src WHERE seq > 200000) TO '/tmp/entry-index-cost-2.tsv'
CREATE TABLE e_all (LIKE src);
ALTER TABLE e_all ADD PRIMARY KEY (seq);
CREATE INDEX ON e_all (account_id, seq);
CREATE INDEX ON e_all (event_publisher, event_id);
CREATE INDEX ON e_all (account_id, occurred_at);
CREATE TABLE e_no_event_index (LIKE src);
ALTER TABLE e_no_event_index ADD PRIMARY KEY (seq);
CREATE INDEX ON e_no_event_index (account_id, seq);
CREATE INDEX ON e_no_event_index (account_id, occurred_at);
CREATE TABLE e_pk_only (LIKE src);
ALTER TABLE e_pk_only ADD PRIMARY KEY (seq);
\copy e_all FROM '/tmp/entry-index-cost-1.tsv'
\copy e_no_event_index FROM '/tmp/entry-index-cost-1.tsv'
\copy e_pk_only FROM '/tmp/entry-index-cost-1.tsv'
\copy e_all FROM '/tmp/entry-index-cost-2.tsv'
\copy e_no_event_index FROM '/tmp/entry-index-cost-2.tsv'
\copy e_pk_only FROM '/tmp/entry-index-cost-2.tsv'
