-- AlterTable
ALTER TABLE "exports" ADD COLUMN     "files_deleted_at" TIMESTAMP(3),
ADD COLUMN     "files_deleted_by_id" TEXT;

-- AddForeignKey
ALTER TABLE "exports" ADD CONSTRAINT "exports_files_deleted_by_id_fkey" FOREIGN KEY ("files_deleted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

