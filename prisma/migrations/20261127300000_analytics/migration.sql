-- CreateTable
CREATE TABLE "analytics_changes" (
    "id" BIGSERIAL NOT NULL,
    "xid" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics_snapshots" (
    "dataset_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "computed_ms" INTEGER NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_snapshots_pkey" PRIMARY KEY ("dataset_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "analytics_changes_xid_key" ON "analytics_changes"("xid");

-- CreateIndex
CREATE INDEX "questions_dataset_id_subject_idx" ON "questions"("dataset_id", "subject");

-- CreateIndex
CREATE INDEX "judgments_analytics_idx" ON "judgments"("judge_id", "template_version", "sample", "response_id", "verdict", "soft_reward");

-- AddForeignKey
ALTER TABLE "analytics_snapshots" ADD CONSTRAINT "analytics_snapshots_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The data version of analytics snapshots (lib/stats/snapshot.ts): every statement that writes
-- the analysed tables records its transaction once. Rows of different transactions never
-- conflict, so concurrent writers do not wait on each other; a reader sees exactly the rows of
-- the transactions committed in its snapshot. Prisma's schema cannot describe triggers: they
-- live here only.
CREATE FUNCTION analytics_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_changes (xid) VALUES (pg_current_xact_id()::text::bigint) ON CONFLICT (xid) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER judgments_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "judgments"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch();
CREATE TRIGGER responses_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "responses"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch();
CREATE TRIGGER questions_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "questions"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch();
CREATE TRIGGER expert_labels_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "expert_labels"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch();
