-- AlterTable
ALTER TABLE "judge_workers" ADD COLUMN     "activity" JSONB NOT NULL DEFAULT '{}';

