-- DropForeignKey
ALTER TABLE "responses" DROP CONSTRAINT "responses_question_id_fkey";

-- DropForeignKey
ALTER TABLE "responses" DROP CONSTRAINT "responses_dataset_id_fkey";

-- CreateIndex
CREATE UNIQUE INDEX "questions_id_dataset_id_key" ON "questions"("id", "dataset_id");

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_question_id_dataset_id_fkey" FOREIGN KEY ("question_id", "dataset_id") REFERENCES "questions"("id", "dataset_id") ON DELETE CASCADE ON UPDATE CASCADE;

