-- A plan can be asked for a fixed number of improvement rounds (issue 11): with the seed, the
-- rounds make a generation reproducible whatever the machine's load, where a time budget alone
-- does not (tests, and re-creating a plan someone saw). NULL: the time budget alone ends the search.
ALTER TABLE patrol_plans ADD COLUMN max_rounds integer CHECK (max_rounds > 0 AND max_rounds <= 100000);
