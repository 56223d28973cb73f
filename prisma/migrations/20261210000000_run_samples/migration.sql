-- AlterTable
ALTER TABLE "judge_runs" ADD COLUMN     "samples" INTEGER NOT NULL DEFAULT 1;

