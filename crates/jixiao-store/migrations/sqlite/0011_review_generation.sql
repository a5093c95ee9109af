-- `review_generation` counts the review actions (a finding confirmed or dismissed, a document's
-- status, a project's grade) so that a server can cache what it computes over the whole corpus
-- (the dashboard, the publisher list) and know, from one row, when the cache went stale:
-- `generation` and `findings_generation` cover imports and corpus findings, this covers reviews.

ALTER TABLE corpus_state ADD COLUMN review_generation INTEGER NOT NULL DEFAULT 0;
