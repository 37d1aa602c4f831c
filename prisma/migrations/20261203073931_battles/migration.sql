-- CreateEnum
CREATE TYPE "BattleStatus" AS ENUM ('generating', 'ready', 'void');

-- CreateTable
CREATE TABLE "battles" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "campaign_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "status" "BattleStatus" NOT NULL DEFAULT 'generating',
    "prompt" TEXT,
    "messages" JSONB NOT NULL,
    "contestants" JSONB NOT NULL,
    "contestant_names" TEXT[],
    "assignment_id" UUID NOT NULL,
    "item_id" UUID,
    "continues_id" UUID,
    "void_reason" TEXT,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "flag_reasons" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "battles_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "battles_assignment_id_key" ON "battles"("assignment_id");

-- CreateIndex
CREATE UNIQUE INDEX "battles_item_id_key" ON "battles"("item_id");

-- CreateIndex
CREATE INDEX "battles_user_id_campaign_id_created_at_idx" ON "battles"("user_id", "campaign_id", "created_at");

-- CreateIndex
CREATE INDEX "battles_campaign_id_status_idx" ON "battles"("campaign_id", "status");

-- AddForeignKey
ALTER TABLE "battles" ADD CONSTRAINT "battles_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "battles" ADD CONSTRAINT "battles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
