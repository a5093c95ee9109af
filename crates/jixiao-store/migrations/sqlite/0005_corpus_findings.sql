-- Findings of the corpus-wide rules (G002 and any later one), stored with the documents they point
-- at (`corpus` = 1) and recomputed over the latest versions when the corpus changes.
--
-- `corpus_state.generation` counts the imports that changed what the corpus holds;
-- `findings_generation` is the generation the stored corpus findings were computed for. They
-- differ while an import is under way, after one was killed before it recomputed, or after a
-- database older than this migration is opened (its corpus findings were never computed).

ALTER TABLE findings ADD COLUMN corpus INTEGER NOT NULL DEFAULT 0 CHECK (corpus IN (0, 1));
CREATE INDEX findings_corpus ON findings (id) WHERE corpus;

CREATE TABLE corpus_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    findings_generation INTEGER NOT NULL
);
INSERT INTO corpus_state (id, generation, findings_generation)
    SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM documents) THEN 1 ELSE 0 END, 0;
