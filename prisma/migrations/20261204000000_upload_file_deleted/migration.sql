-- AlterTable
ALTER TABLE "uploads" ADD COLUMN     "file_deleted_at" TIMESTAMP(3);

