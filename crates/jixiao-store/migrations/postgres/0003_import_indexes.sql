-- Two indexes that no query uses but every import pays for, each insert landing at a random place
-- in them: `projects_name` (project searches match `LIKE '%name%'`, which a b-tree index cannot
-- serve) and `findings_code` (findings are counted by code over a whole filtered corpus, a scan
-- either way; nothing looks findings up by code). Dropping them takes about a tenth off the
-- import's CPU time (docs/benchmarks.md).

DROP INDEX projects_name;
DROP INDEX findings_code;
