-- AlterTable
ALTER TABLE "analytics_snapshots" ADD COLUMN     "read_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

