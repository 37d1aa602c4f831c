import { z } from "zod";
import { displayNameProblem } from "@arbiter/auth";

/** A display name wherever one is set (users API, invites; better-auth's update-user has the same rule): 1–200 characters, storable. */
export const DisplayName = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
