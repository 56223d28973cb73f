-- AlterTable
ALTER TABLE "import_jobs" ADD COLUMN     "rerun_as_id" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "import_jobs_rerun_as_id_key" ON "import_jobs"("rerun_as_id");

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_rerun_as_id_fkey" FOREIGN KEY ("rerun_as_id") REFERENCES "import_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

