-- CreateEnum
CREATE TYPE "assignment_state" AS ENUM ('claimed', 'done', 'skipped');

-- DropForeignKey
ALTER TABLE "expert_label_history" DROP CONSTRAINT "expert_label_history_label_id_fkey";

-- AlterTable
ALTER TABLE "expert_label_history" ADD COLUMN     "annotator" TEXT,
ADD COLUMN     "batch_id" INTEGER,
ALTER COLUMN "label_id" DROP NOT NULL,
ALTER COLUMN "new_value" DROP NOT NULL;

-- CreateTable
CREATE TABLE "label_batches" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "dataset_id" INTEGER,
    "filter" TEXT NOT NULL DEFAULT '',
    "value" "label_value",
    "note" TEXT NOT NULL DEFAULT '',
    "changed" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undone_at" TIMESTAMP(3),
    "undone_by_id" TEXT,
    "undoes_id" INTEGER,

    CONSTRAINT "label_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "adjudications" (
    "id" SERIAL NOT NULL,
    "response_id" INTEGER NOT NULL,
    "value" "label_value" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "decided_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adjudications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_queues" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "source" JSONB NOT NULL DEFAULT '{}',
    "overlap" INTEGER NOT NULL DEFAULT 1,
    "blind" BOOLEAN NOT NULL DEFAULT true,
    "item_count" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_queues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_queue_members" (
    "queue_id" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "added_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_queue_members_pkey" PRIMARY KEY ("queue_id","user_id")
);

-- CreateTable
CREATE TABLE "review_items" (
    "id" SERIAL NOT NULL,
    "queue_id" INTEGER NOT NULL,
    "response_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "review_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_assignments" (
    "id" SERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "queue_id" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "state" "assignment_state" NOT NULL DEFAULT 'claimed',
    "claimed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "review_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "label_batches_created_at_idx" ON "label_batches"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "adjudications_response_id_key" ON "adjudications"("response_id");

-- CreateIndex
CREATE INDEX "review_queues_created_at_idx" ON "review_queues"("created_at");

-- CreateIndex
CREATE INDEX "review_queue_members_user_id_idx" ON "review_queue_members"("user_id");

-- CreateIndex
CREATE INDEX "review_items_queue_id_position_idx" ON "review_items"("queue_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "review_items_queue_id_response_id_key" ON "review_items"("queue_id", "response_id");

-- CreateIndex
CREATE INDEX "review_assignments_queue_id_user_id_state_idx" ON "review_assignments"("queue_id", "user_id", "state");

-- CreateIndex
CREATE INDEX "review_assignments_item_id_state_idx" ON "review_assignments"("item_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "review_assignments_item_id_user_id_key" ON "review_assignments"("item_id", "user_id");

-- CreateIndex
CREATE INDEX "expert_label_history_batch_id_idx" ON "expert_label_history"("batch_id");

-- AddForeignKey
ALTER TABLE "expert_label_history" ADD CONSTRAINT "expert_label_history_label_id_fkey" FOREIGN KEY ("label_id") REFERENCES "expert_labels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_label_history" ADD CONSTRAINT "expert_label_history_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "label_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_batches" ADD CONSTRAINT "label_batches_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_batches" ADD CONSTRAINT "label_batches_undone_by_id_fkey" FOREIGN KEY ("undone_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjudications" ADD CONSTRAINT "adjudications_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adjudications" ADD CONSTRAINT "adjudications_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_queues" ADD CONSTRAINT "review_queues_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_queues" ADD CONSTRAINT "review_queues_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_queue_members" ADD CONSTRAINT "review_queue_members_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "review_queues"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_queue_members" ADD CONSTRAINT "review_queue_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "review_queues"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "review_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "review_queues"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: whose label each existing history row belongs to.
UPDATE "expert_label_history" h SET "annotator" = l."annotator" FROM "expert_labels" l WHERE l."id" = h."label_id";
