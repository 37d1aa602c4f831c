/*
  Warnings:

  - A unique constraint covering the columns `[dedupe_key]` on the table `judgments` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "release_key_on_claim" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "judgments" ADD COLUMN     "dedupe_key" TEXT;

-- CreateIndex
CREATE INDEX "jobs_status_locked_until_idx" ON "jobs"("status", "locked_until");

-- CreateIndex
CREATE UNIQUE INDEX "judgments_dedupe_key_key" ON "judgments"("dedupe_key");
