-- AlterTable
ALTER TABLE "uploads" ADD COLUMN     "last_chunk_at" TIMESTAMP(3);

