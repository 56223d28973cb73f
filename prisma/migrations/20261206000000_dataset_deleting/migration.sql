-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "deleting_at" TIMESTAMP(3);

