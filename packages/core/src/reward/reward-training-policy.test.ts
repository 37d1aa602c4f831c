import { describe, expect, it } from "vitest";
import { isRewardRetrainingDue, nextRewardRetrainingAt } from "./reward-training-policy.ts";

describe("reward retraining policy", () => {
  it("waits for 20 votes, then retrains every +20 %", () => {
    expect(isRewardRetrainingDue({ votes: 19, lastVotes: 0 })).toBe(false);
    expect(isRewardRetrainingDue({ votes: 20, lastVotes: 0 })).toBe(true);
    expect(isRewardRetrainingDue({ votes: 23, lastVotes: 20 })).toBe(false);
    expect(isRewardRetrainingDue({ votes: 24, lastVotes: 20 })).toBe(true);
    expect(isRewardRetrainingDue({ votes: 1199, lastVotes: 1000 })).toBe(false);
    expect(isRewardRetrainingDue({ votes: 1200, lastVotes: 1000 })).toBe(true);
    expect(nextRewardRetrainingAt(0)).toBe(20);
    expect(nextRewardRetrainingAt(101)).toBe(122);
  });
});
