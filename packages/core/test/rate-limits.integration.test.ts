import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getRawDb } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { RateLimiter } from "../src/limits/rate-limiter.ts";
import { announceRaces, raceIt } from "./race-mode.ts";

announceRaces("rate-limits (the burst test)");

afterAll(async () => {
  await disconnectPrisma();
});

async function outcome(limiter: RateLimiter, key: string): Promise<"allowed" | number> {
  try {
    await limiter.consume(key);
    return "allowed";
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return Number(error.headers?.["retry-after"]);
    throw error;
  }
}

describe("rate limits in PostgreSQL", () => {
  it("two limiters with one name (two app instances) share one counter: the 11th request is refused whichever asks", async () => {
    const first = new RateLimiter("sign-in-test", 10, 60_000);
    const second = new RateLimiter("sign-in-test", 10, 60_000);
    const results: Array<"allowed" | number> = [];
    for (let attempt = 0; attempt < 12; attempt++) results.push(await outcome(attempt % 2 === 0 ? first : second, "203.0.113.7"));
    expect(results.slice(0, 10)).toEqual(Array(10).fill("allowed"));
    for (const refused of results.slice(10)) {
      expect(typeof refused).toBe("number");
      expect(refused).toBeGreaterThanOrEqual(1);
      expect(refused).toBeLessThanOrEqual(60);
    }
    // Another key and another limiter name have counters of their own.
    expect(await outcome(first, "203.0.113.8")).toBe("allowed");
    expect(await outcome(new RateLimiter("other-test", 10, 60_000), "203.0.113.7")).toBe("allowed");
  });

  raceIt("counts concurrent requests exactly: 40 at once against a limit of 10 let exactly 10 through", async () => {
    const limiter = new RateLimiter("burst-test", 10, 60_000);
    const results = await Promise.all(Array.from({ length: 40 }, () => outcome(limiter, "198.51.100.1")));
    expect(results.filter((r) => r === "allowed")).toHaveLength(10);
    const [row] = await getRawDb().$queryRaw<Array<{ count: number }>>`SELECT count FROM rate_limits WHERE key = 'burst-test:198.51.100.1'`;
    expect(row?.count).toBe(40);
  });

  it("a window that ended starts again at 1, on the database's clock", async () => {
    const limiter = new RateLimiter("window-test", 2, 300);
    expect(await outcome(limiter, "k")).toBe("allowed");
    expect(await outcome(limiter, "k")).toBe("allowed");
    expect(await outcome(limiter, "k")).not.toBe("allowed");
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await outcome(limiter, "k")).toBe("allowed");
  });

  it("a disabled limiter never counts", async () => {
    const limiter = new RateLimiter("disabled-test", 1, 60_000, false);
    for (let i = 0; i < 3; i++) expect(await outcome(limiter, "k")).toBe("allowed");
    const rows = await getRawDb().$queryRaw<unknown[]>`SELECT 1 FROM rate_limits WHERE key LIKE 'disabled-test:%'`;
    expect(rows).toHaveLength(0);
  });
});
