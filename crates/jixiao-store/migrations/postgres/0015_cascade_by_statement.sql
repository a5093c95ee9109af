-- The last foreign keys an import paid for row by row (issue 18; docs/benchmarks.md): PostgreSQL
-- checked every imported span, unit, project, indicator and finding against its parent with a
-- locking lookup run through the executor, which was 45 % of the server's time in an import of
-- the generated 100 MB corpus. SQLite's importer already writes with its checks off.
--
-- What the keys gave is kept another way:
--
-- * Deleting a document, unit, project or indicator still takes its rows with it, now by one
--   statement per table for all the rows a statement deleted (the triggers below), instead of a
--   lookup per row (for `spans`, which has no index on its document, that was a scan of the
--   table per deleted document).
-- * That every row's parent exists is what the importer writes, in one transaction per batch;
--   `Store::verify` checks it (`backend_checks` in postgres.rs), as it does on SQLite.
--
-- The keys of the tables a reviewer writes to (grades, scores, reviews) stay: they are not on the
-- import's path.

ALTER TABLE spans DROP CONSTRAINT IF EXISTS spans_document_id_fkey;
ALTER TABLE units DROP CONSTRAINT IF EXISTS units_document_id_fkey;
ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_document_id_fkey;
ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_unit_id_fkey;
ALTER TABLE indicators DROP CONSTRAINT IF EXISTS indicators_project_id_fkey;
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_document_id_fkey;
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_project_id_fkey;
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_indicator_id_fkey;

-- `SET search_path FROM CURRENT`: the tables are the ones of the schema migrated here, whatever
-- the path of the session that deletes.
CREATE OR REPLACE FUNCTION jixiao_documents_deleted() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM findings WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM indicators WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM projects WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM units WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM spans WHERE document_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jixiao_units_deleted() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM projects WHERE unit_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jixiao_projects_deleted() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM findings WHERE project_id IN (SELECT id FROM gone);
    DELETE FROM indicators WHERE project_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jixiao_indicators_deleted() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM findings WHERE indicator_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;

-- Written so that running it again changes nothing (the upgrade tests replay migrations).
DROP TRIGGER IF EXISTS documents_deleted ON documents;
DROP TRIGGER IF EXISTS units_deleted ON units;
DROP TRIGGER IF EXISTS projects_deleted ON projects;
DROP TRIGGER IF EXISTS indicators_deleted ON indicators;
CREATE TRIGGER documents_deleted AFTER DELETE ON documents
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION jixiao_documents_deleted();
CREATE TRIGGER units_deleted AFTER DELETE ON units
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION jixiao_units_deleted();
CREATE TRIGGER projects_deleted AFTER DELETE ON projects
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION jixiao_projects_deleted();
CREATE TRIGGER indicators_deleted AFTER DELETE ON indicators
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION jixiao_indicators_deleted();
