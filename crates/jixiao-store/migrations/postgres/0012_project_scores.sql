-- Self-evaluation scores (issue 17, docs/corpus.md): for every project of a self-evaluation
-- (绩效自评表), the total and grade as published beside those jixiao-score recomputes, under the
-- scoring policy in effect at import (`policy`). Rows belong to one document version and are
-- written in its import transaction.
--
-- Totals are NUMERIC (exact, as money is). `*_rank` orders the grades (0 差, 1 中, 2 良, 3 优)
-- so that "published grade above the recomputed one" is a comparison of two integers;
-- `published_rank` is the grade printed in the table, else the grade of the published total.
CREATE TABLE project_scores (
    project_id BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    policy TEXT NOT NULL,
    published_total NUMERIC,
    -- As printed (`优秀`, `优`), NULL when the table prints none.
    published_grade TEXT,
    published_rank BIGINT,
    recomputed_total NUMERIC NOT NULL,
    -- NULL when lines are missing and no total was published (a part has no grade).
    recomputed_grade TEXT,
    recomputed_rank BIGINT,
    -- How the recomputed total was reached: lines, published_corrected, partial.
    basis TEXT NOT NULL
);
CREATE INDEX project_scores_document ON project_scores (document_id);

-- Documents imported before this migration: their scores are computed from the stored model when
-- the database is next opened (`fill_scores`), under the national policy, and the row goes.
CREATE TABLE scores_pending (
    document_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE
);
INSERT INTO scores_pending (document_id) SELECT id FROM documents;
