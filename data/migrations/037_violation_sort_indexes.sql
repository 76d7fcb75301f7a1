-- Every sort the violations register offers (GET /violations?sort=…&order=asc|desc) reads its
-- first page, and every cursor page, from an index in key order (issue 15, "lists that stay
-- fast"). The list orders by the sort column, then id in the same direction, and puts NULLs last
-- in both directions (server/paging keysetOrderBy). A b-tree read backwards gives NULLS FIRST, so
-- a nullable column needs one index per direction; a NOT NULL one serves both.
-- tests/integration/list_indexes.test.ts checks each sort's plan: without these, deadline (both
-- orders), stake desc and caseNumber desc sorted the whole table, category and status sorted a
-- whole category or status.

-- NOT NULL columns: (column, id) replaces the single-column index (the filters still use it).
DROP INDEX violations_category_idx;
CREATE INDEX violations_category_idx ON violations (category, id);
DROP INDEX violations_status_idx;
CREATE INDEX violations_status_idx ON violations (status, id);

-- Stake: route, then chainage. Ascending replaces (route_code, chainage_meters) (the route filter still uses it).
DROP INDEX violations_route_chainage_idx;
CREATE INDEX violations_route_chainage_idx ON violations (route_code, chainage_meters, id);
CREATE INDEX violations_route_chainage_desc_idx ON violations (route_code DESC NULLS LAST, chainage_meters DESC NULLS LAST, id DESC);

-- Rectification deadline (violations_deadline_idx stays: open cases by deadline).
CREATE INDEX violations_deadline_sort_idx ON violations (deadline_at, id);
CREATE INDEX violations_deadline_desc_idx ON violations (deadline_at DESC NULLS LAST, id DESC);

-- Case number (统一编号). Ascending, the unique key's index already reads them in order (an
-- incremental sort of one row per number); descending it would give the NULLs of the unfiled
-- findings first, so the list needs its own index.
CREATE INDEX violations_case_number_desc_idx ON violations (case_number DESC NULLS LAST, id DESC);
