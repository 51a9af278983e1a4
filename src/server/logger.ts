import "server-only";

import pino from "pino";

import { env } from "~/env";

/** Structured logs. Secrets never reach a log line: the redact paths are a second line of defence. */
export const logger = pino({
  level: env.LOG_LEVEL ?? "info",
  redact: {
    paths: [
      "*.password",
      "*.token",
      "*.apiToken",
      "*.accessToken",
      "*.refreshToken",
      "*.access_token",
      "*.refresh_token",
      "*.credentials",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
    ],
    censor: "[redacted]",
  },
});
