-- AlterTable
ALTER TABLE "analytics_changes" ADD COLUMN     "kinds" INTEGER NOT NULL DEFAULT 3;


-- Which kind of data a transaction changed (bits: 1 the answers, i.e. judgments, questions and
-- responses; 2 the expert labels, i.e. expert_labels and the responses' gold labels), so that a
-- figure that does not read the labels (reward normalisation, self-consistency) keeps its
-- snapshot when an expert labels an item. The trigger's argument is the kind; a second statement
-- of a transaction adds its kind to the transaction's row.
CREATE OR REPLACE FUNCTION analytics_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_changes (xid, kinds) VALUES (pg_current_xact_id()::text::bigint, TG_ARGV[0]::int)
  ON CONFLICT (xid) DO UPDATE SET kinds = analytics_changes.kinds | excluded.kinds
    WHERE analytics_changes.kinds & excluded.kinds <> excluded.kinds;
  RETURN NULL;
END
$$;

DROP TRIGGER judgments_analytics_touch ON "judgments";
DROP TRIGGER responses_analytics_touch ON "responses";
DROP TRIGGER questions_analytics_touch ON "questions";
DROP TRIGGER expert_labels_analytics_touch ON "expert_labels";

CREATE TRIGGER judgments_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "judgments"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch(1);
CREATE TRIGGER questions_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "questions"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch(1);
CREATE TRIGGER expert_labels_analytics_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "expert_labels"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch(2);
CREATE TRIGGER responses_analytics_touch AFTER INSERT OR DELETE OR TRUNCATE ON "responses"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch(1);
-- An update names its columns: the gold label is a label; the columns analytics read besides it
-- are answers (a new column that analytics read must be added to this list).
CREATE TRIGGER responses_analytics_touch_gold AFTER UPDATE OF gold_label ON "responses"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch(2);
CREATE TRIGGER responses_analytics_touch_answers AFTER UPDATE OF id, question_id, dataset_id, policy_model, text_length ON "responses"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_touch(1);
