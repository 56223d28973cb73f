-- CreateTable
CREATE TABLE "analytics_chunk_changes" (
    "id" BIGSERIAL NOT NULL,
    "chunk" BIGINT NOT NULL,
    "xid" BIGINT NOT NULL,

    CONSTRAINT "analytics_chunk_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics_partials" (
    "dataset_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "chunk" BIGINT NOT NULL,
    "version" TEXT NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "analytics_partials_pkey" PRIMARY KEY ("dataset_id","key","chunk")
);

-- CreateIndex
CREATE UNIQUE INDEX "analytics_chunk_changes_chunk_xid_key" ON "analytics_chunk_changes"("chunk", "xid");

-- AddForeignKey
ALTER TABLE "analytics_partials" ADD CONSTRAINT "analytics_partials_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Chunk versions of analytics partials (lib/stats/partials.ts): every statement that writes the
-- analysed tables records which chunks of 2^14 response ids its rows fall in, once per chunk and
-- transaction, from its transition table (the rows it changed). Chunk -1 stands for every chunk
-- (TRUNCATE, which has no transition table). A question's subject belongs to its responses'
-- chunks; questions are inserted before their responses and deleted with them, so only an update
-- of a question needs its responses looked up. Prisma's schema cannot describe triggers: they
-- live here only.
CREATE FUNCTION analytics_touch_chunks_by_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_chunk_changes (chunk, xid)
  SELECT DISTINCT id::bigint >> 14, pg_current_xact_id()::text::bigint FROM changed_rows
  ON CONFLICT (chunk, xid) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION analytics_touch_chunks_by_response_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_chunk_changes (chunk, xid)
  SELECT DISTINCT response_id::bigint >> 14, pg_current_xact_id()::text::bigint FROM changed_rows
  ON CONFLICT (chunk, xid) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION analytics_touch_chunks_by_question() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_chunk_changes (chunk, xid)
  SELECT DISTINCT r.id::bigint >> 14, pg_current_xact_id()::text::bigint FROM changed_rows q JOIN responses r ON r.question_id = q.id
  ON CONFLICT (chunk, xid) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION analytics_touch_all_chunks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_chunk_changes (chunk, xid) VALUES (-1, pg_current_xact_id()::text::bigint)
  ON CONFLICT (chunk, xid) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER responses_chunks_insert AFTER INSERT ON "responses" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_id();
CREATE TRIGGER responses_chunks_update AFTER UPDATE ON "responses" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_id();
CREATE TRIGGER responses_chunks_delete AFTER DELETE ON "responses" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_id();
CREATE TRIGGER responses_chunks_truncate AFTER TRUNCATE ON "responses"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_all_chunks();

CREATE TRIGGER judgments_chunks_insert AFTER INSERT ON "judgments" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
-- An update could move a judgment to another response: both its old and its new chunk changed.
CREATE TRIGGER judgments_chunks_update_new AFTER UPDATE ON "judgments" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER judgments_chunks_update_old AFTER UPDATE ON "judgments" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER judgments_chunks_delete AFTER DELETE ON "judgments" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER judgments_chunks_truncate AFTER TRUNCATE ON "judgments"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_all_chunks();

CREATE TRIGGER expert_labels_chunks_insert AFTER INSERT ON "expert_labels" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER expert_labels_chunks_update_new AFTER UPDATE ON "expert_labels" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER expert_labels_chunks_update_old AFTER UPDATE ON "expert_labels" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER expert_labels_chunks_delete AFTER DELETE ON "expert_labels" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_response_id();
CREATE TRIGGER expert_labels_chunks_truncate AFTER TRUNCATE ON "expert_labels"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_all_chunks();

CREATE TRIGGER questions_chunks_update AFTER UPDATE ON "questions" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_chunks_by_question();
CREATE TRIGGER questions_chunks_truncate AFTER TRUNCATE ON "questions"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch_all_chunks();
