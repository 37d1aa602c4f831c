-- AlterTable
ALTER TABLE "secrets" ADD COLUMN     "origin" TEXT;

-- Judge job errors written before outgoing requests were made body-free quoted the endpoint's
-- answer ("… answered 500 {…}"); keep the status, drop the rest (issue 13, finding 2).
UPDATE "jobs" SET "last_error" = regexp_replace("last_error", '( answered [0-9]{3})([^0-9].*)?$', '\1 (reply body removed)')
WHERE "queue" = 'judge' AND "last_error" ~ ' answered [0-9]{3}';
UPDATE "jobs" SET "last_error" = regexp_replace("last_error", 'sent a body that is not JSON: .*$', 'sent a body that is not JSON')
WHERE "queue" = 'judge' AND "last_error" LIKE '%sent a body that is not JSON: %';
