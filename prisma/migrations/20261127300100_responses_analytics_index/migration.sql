-- CreateIndex
CREATE INDEX "responses_analytics_idx" ON "responses"("dataset_id", "id", "question_id", "policy_model", "text_length", "gold_label");

