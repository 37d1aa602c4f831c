-- AlterTable
ALTER TABLE "items" ADD COLUMN     "slots_full_until" TIMESTAMP(3);
