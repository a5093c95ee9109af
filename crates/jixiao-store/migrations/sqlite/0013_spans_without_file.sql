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
