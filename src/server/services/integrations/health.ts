import type { IntegrationStatus } from "~/generated/prisma/client";

export type HealthLevel = "healthy" | "warning" | "error";

export type Health = {
  level: HealthLevel;
  /** Share of successful uses, 0–1; null before the first use. */
  successRate: number | null;
  summary: string;
};

/** Health as the list shows it: the status first, then the success rate and the failure streak. */
export function deriveHealth(input: {
  status: IntegrationStatus;
  successCount: number;
  failureCount: number;
  consecutiveFailures: number;
  failureThreshold: number;
}): Health {
  const total = input.successCount + input.failureCount;
  const successRate = total === 0 ? null : input.successCount / total;
  const rateText =
    successRate === null ? "not used yet" : `${Math.round(successRate * 100)}% of requests succeeded`;

  switch (input.status) {
    case "ERROR":
      return { level: "error", successRate, summary: "Failing: re-test it after fixing the cause" };
    case "EXPIRED":
      return { level: "error", successRate, summary: "Credentials expired or were revoked: update them" };
    case "SUSPENDED":
      return {
        level: "error",
        successRate,
        summary: "Paused after repeated rate limiting; resumes by itself",
      };
    case "PENDING":
      return { level: "warning", successRate, summary: "Not tested yet" };
    case "INACTIVE":
      return { level: "warning", successRate, summary: "Disabled" };
    case "ACTIVE":
      if (input.consecutiveFailures >= input.failureThreshold) {
        return { level: "error", successRate, summary: `${input.consecutiveFailures} failures in a row` };
      }
      if (input.consecutiveFailures > 0 || (successRate !== null && successRate < 0.9)) {
        const streak = input.consecutiveFailures > 0 ? `; the last ${input.consecutiveFailures} failed` : "";
        return { level: "warning", successRate, summary: `${rateText}${streak}` };
      }
      return { level: "healthy", successRate, summary: rateText };
  }
}
