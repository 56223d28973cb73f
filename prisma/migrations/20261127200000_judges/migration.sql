-- DropIndex
DROP INDEX "judgments_run_id_idx";

-- AlterTable
ALTER TABLE "judges" ADD COLUMN     "api_key_encrypted" TEXT;

-- AlterTable
ALTER TABLE "judge_runs" ADD COLUMN     "completion_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "force" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "prompt_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "skipped" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "unparseable" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "judgments" ADD COLUMN     "attempts" INTEGER,
ADD COLUMN     "error_kind" TEXT,
ADD COLUMN     "prompt_hash" TEXT,
ADD COLUMN     "top_logprobs" JSONB;

-- CreateTable
CREATE TABLE "judge_templates" (
    "version" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "system_message" TEXT,
    "final_step_only" BOOLEAN NOT NULL DEFAULT true,
    "based_on" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "judge_templates_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "judge_run_chunks" (
    "run_id" INTEGER NOT NULL,
    "idx" INTEGER NOT NULL,
    "response_ids" INTEGER[],
    "job_id" UUID,
    "worker_id" TEXT,
    "claimed_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "judge_run_chunks_pkey" PRIMARY KEY ("run_id","idx")
);

-- CreateTable
CREATE TABLE "judge_workers" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "demand" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "judge_workers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoint_slots" (
    "endpoint" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "lease_until" TIMESTAMP(3),

    CONSTRAINT "endpoint_slots_pkey" PRIMARY KEY ("endpoint","slot")
);

-- CreateIndex
CREATE INDEX "judge_templates_name_created_at_idx" ON "judge_templates"("name", "created_at");

-- CreateIndex
CREATE INDEX "judge_run_chunks_worker_id_idx" ON "judge_run_chunks"("worker_id");

-- CreateIndex
CREATE INDEX "judge_workers_heartbeat_at_idx" ON "judge_workers"("heartbeat_at");

-- CreateIndex
CREATE INDEX "endpoint_slots_holder_idx" ON "endpoint_slots"("holder");

-- CreateIndex
CREATE INDEX "judge_runs_status_created_at_idx" ON "judge_runs"("status", "created_at");

-- CreateIndex
CREATE INDEX "judgments_run_id_created_at_idx" ON "judgments"("run_id", "created_at");

-- CreateIndex
CREATE INDEX "judgments_run_id_error_kind_idx" ON "judgments"("run_id", "error_kind");

-- AddForeignKey
ALTER TABLE "judge_templates" ADD CONSTRAINT "judge_templates_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_run_chunks" ADD CONSTRAINT "judge_run_chunks_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "judge_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

