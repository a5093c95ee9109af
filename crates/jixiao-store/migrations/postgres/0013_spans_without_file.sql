-- What the `spans` table held that nothing reads (issue 18: a corpus file was 3.2 times its
-- input; docs/benchmarks.md):
--
-- * `file`: every row repeated the full path of its document's source file (30 MB of the 335 MB
--   file of the generated 100 MB corpus). A span row always points into its own document's file,
--   whose path the stored model keeps (`source`, and every span of the model); queries read a
--   span's line and byte range only.
-- * `spans_document` (11 MB there): spans are looked up by id; only the integrity check counted
--   them by document, and it now counts them in one grouped pass. One index fewer to keep up on
--   every imported indicator.

ALTER TABLE spans DROP COLUMN file;
DROP INDEX spans_document;

-- Foreign keys PostgreSQL checks row by row with a locking lookup of the parent (about 10 µs
-- each; an indicator paid three). `span_id` columns: the importer writes every span with the
-- rows that point at it, in the same transaction, and nothing deletes a span that a row points
-- at (nor cascades through one). `indicators.document_id`: the indicator's project is in the
-- same document and cascades to it. The checks that remain keep what deleting a document or a
-- project takes with it.
ALTER TABLE units DROP CONSTRAINT IF EXISTS units_span_id_fkey;
ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_span_id_fkey;
ALTER TABLE indicators DROP CONSTRAINT IF EXISTS indicators_span_id_fkey;
ALTER TABLE indicators DROP CONSTRAINT IF EXISTS indicators_document_id_fkey;
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_span_id_fkey;
