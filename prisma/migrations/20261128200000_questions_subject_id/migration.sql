-- DropIndex
DROP INDEX "questions_dataset_id_subject_idx";

-- CreateIndex
CREATE INDEX "questions_dataset_id_subject_id_idx" ON "questions"("dataset_id", "subject", "id");

