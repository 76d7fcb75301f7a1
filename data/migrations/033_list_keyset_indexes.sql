-- Keyset paging of the detections list (issue 15): its default order is priority then id, in
-- either direction, and every page after a cursor seeks on (priority, id). Without this index the
-- first page sorted the whole table. A b-tree serves both directions (both columns NOT NULL).
CREATE INDEX detections_priority_idx ON detections (priority, id);
