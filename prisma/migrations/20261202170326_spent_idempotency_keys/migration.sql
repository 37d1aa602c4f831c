-- CreateTable
CREATE TABLE "spent_idempotency_keys" (
    "user_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "campaign_id" UUID NOT NULL,
    "judgment_id" UUID NOT NULL,
    "assignment_id" UUID NOT NULL,
    "undone_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spent_idempotency_keys_pkey" PRIMARY KEY ("user_id","idempotency_key")
);

-- CreateIndex
CREATE INDEX "spent_idempotency_keys_campaign_id_idx" ON "spent_idempotency_keys"("campaign_id");

-- AddForeignKey
ALTER TABLE "spent_idempotency_keys" ADD CONSTRAINT "spent_idempotency_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spent_idempotency_keys" ADD CONSTRAINT "spent_idempotency_keys_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
