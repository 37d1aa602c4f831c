import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secret-cipher.ts";

const appSecret = "a".repeat(64);
const scope = { campaignId: "11111111-1111-4111-8111-111111111111", name: "openai" };

describe("secret cipher (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time and no plaintext in the ciphertext", () => {
    const a = encryptSecret("sk-live-123456", scope, appSecret);
    const b = encryptSecret("sk-live-123456", scope, appSecret);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from("sk-live"))).toBe(false);
    expect(decryptSecret(a, scope, appSecret)).toBe("sk-live-123456");
  });

  it("refuses a tampered ciphertext, another row's scope and another app secret", () => {
    const sealed = encryptSecret("sk-live-123456", scope, appSecret);
    const tampered = { ...sealed, ciphertext: Uint8Array.from(sealed.ciphertext, (byte, i) => (i === 0 ? byte ^ 1 : byte)) };
    expect(() => decryptSecret(tampered, scope, appSecret)).toThrow();
    expect(() => decryptSecret(sealed, { ...scope, name: "other" }, appSecret)).toThrow();
    expect(() => decryptSecret(sealed, { ...scope, campaignId: null }, appSecret)).toThrow();
    expect(() => decryptSecret(sealed, scope, "b".repeat(64))).toThrow();
  });
});
