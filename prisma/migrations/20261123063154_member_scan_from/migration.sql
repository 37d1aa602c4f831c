-- AlterTable
ALTER TABLE "campaign_members" ADD COLUMN     "scan_from" INTEGER NOT NULL DEFAULT -1;
