-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "text_length" INTEGER NOT NULL DEFAULT 0;

