import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

/** Atlassian's real endpoints: what production uses unless told otherwise. */
const ATLASSIAN = {
  authorizationUrl: "https://auth.atlassian.com/authorize",
  tokenUrl: "https://auth.atlassian.com/oauth/token",
  apiUrl: "https://api.atlassian.com",
};

/**
 * Development and test defaults: enough to run with no configuration at all, against the local
 * Atlassian + Jira sandbox. They are public, so production refuses to start on them.
 */
export const DEVELOPMENT_DEFAULTS = {
  AUTH_SECRET: "development-only-auth-secret-do-not-use-in-production",
  // 32 zero-padded bytes, base64: a development key, never a production one.
  ENCRYPTION_KEY: Buffer.from("ticketbridge-development-key-32b").toString("base64"),
  ATLASSIAN_CLIENT_ID: "ticketbridge-dev",
  ATLASSIAN_CLIENT_SECRET: "ticketbridge-dev-secret",
  SANDBOX_URL: "http://localhost:4010",
};

const encryptionKey = z.string().refine((value) => Buffer.from(value, "base64").length === 32, {
  message: "must be 32 bytes encoded as base64 (generate one with `openssl rand -base64 32`)",
});

/**
 * Reads and validates the environment. Exported for tests; the app uses `env` below.
 * @param {Record<string, string | undefined>} source
 */
export function loadEnv(source) {
  const production = source.NODE_ENV === "production";
  /** @type {(schema: z.ZodString, fallback: string) => z.ZodString | z.ZodDefault<z.ZodString>} */
  const devDefault = (schema, fallback) => (production ? schema : schema.default(fallback));
  const sandbox = source.SANDBOX_URL ?? DEVELOPMENT_DEFAULTS.SANDBOX_URL;
  /** @type {(path: string, real: string) => string} */
  const atlassianDefault = (path, real) => (production ? real : `${sandbox}${path}`);

  return createEnv({
    server: {
      NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
      DATABASE_URL: z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
        .optional(),
      PGLITE_DATA_DIR: z.string().default(".data/pglite"),
      PGLITE_SOCKET_PORT: z.coerce.number().int().positive().optional(),
      AUTH_SECRET: devDefault(
        z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -base64 32`)"),
        DEVELOPMENT_DEFAULTS.AUTH_SECRET,
      ),
      ENCRYPTION_KEY: devDefault(encryptionKey, DEVELOPMENT_DEFAULTS.ENCRYPTION_KEY),
      ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
      ATLASSIAN_CLIENT_ID: devDefault(z.string().min(1), DEVELOPMENT_DEFAULTS.ATLASSIAN_CLIENT_ID),
      ATLASSIAN_CLIENT_SECRET: devDefault(z.string().min(1), DEVELOPMENT_DEFAULTS.ATLASSIAN_CLIENT_SECRET),
      ATLASSIAN_AUTHORIZATION_URL: z
        .url()
        .default(atlassianDefault("/authorize", ATLASSIAN.authorizationUrl)),
      ATLASSIAN_TOKEN_URL: z.url().default(atlassianDefault("/oauth/token", ATLASSIAN.tokenUrl)),
      ATLASSIAN_API_URL: z.url().default(atlassianDefault("", ATLASSIAN.apiUrl)),
      // host or host:port entries that may resolve to private/loopback addresses (the dev sandbox).
      OUTBOUND_ALLOWED_HOSTS: z
        .string()
        .default(production ? "" : [new URL(sandbox).host, `127.0.0.1:${new URL(sandbox).port}`].join(","))
        .transform((value) =>
          value
            .split(",")
            .map((host) => host.trim())
            .filter(Boolean),
        ),
      // How long an interactive request waits for the external issue before answering "pending".
      INLINE_CREATION_DEADLINE_MS: z.coerce.number().int().min(0).max(60_000).default(8_000),
      // The outbox's background retries: exponential backoff with jitter between base and cap.
      OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2_000),
      OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(1).default(300_000),
      OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
      // Creations in flight per integration in one process; a burst beyond it waits its turn.
      OUTBOX_MAX_IN_FLIGHT_PER_INTEGRATION: z.coerce.number().int().min(1).max(100).default(20),
      // After a request to the external system got no answer, the least wait before trying again.
      OUTBOX_UNANSWERED_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
      // Jobs one process works on at once, and how often an idle worker looks for new ones.
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
      WORKER_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
      // false: the web process only queues jobs and `npm run worker` processes them (PostgreSQL only).
      WORKERS_IN_WEB: z.stringbool().default(true),
      // Off behind a pooler that cannot keep prepared statements (PgBouncer before 1.21 in transaction
      // mode). Also applies to the embedded database, where it only costs speed.
      DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
      // tRPC calls one user may make per minute, shared by every web process (kept in the database).
      RATE_LIMIT_CUSTOMER_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
      RATE_LIMIT_STAFF_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
      // Enables the benchmark's baseline routes (npm run bench:tickets); never set in production.
      BENCH_ROUTES: z
        .enum(["0", "1"])
        .default("0")
        .transform((value) => value === "1"),
      LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    },
    client: {},
    runtimeEnv: {
      NODE_ENV: source.NODE_ENV,
      DATABASE_URL: source.DATABASE_URL,
      DATABASE_PREPARED_STATEMENTS: source.DATABASE_PREPARED_STATEMENTS,
      PGLITE_DATA_DIR: source.PGLITE_DATA_DIR,
      PGLITE_SOCKET_PORT: source.PGLITE_SOCKET_PORT,
      AUTH_SECRET: source.AUTH_SECRET,
      ENCRYPTION_KEY: source.ENCRYPTION_KEY,
      ENCRYPTION_KEY_PREVIOUS: source.ENCRYPTION_KEY_PREVIOUS,
      ATLASSIAN_CLIENT_ID: source.ATLASSIAN_CLIENT_ID,
      ATLASSIAN_CLIENT_SECRET: source.ATLASSIAN_CLIENT_SECRET,
      ATLASSIAN_AUTHORIZATION_URL: source.ATLASSIAN_AUTHORIZATION_URL,
      ATLASSIAN_TOKEN_URL: source.ATLASSIAN_TOKEN_URL,
      ATLASSIAN_API_URL: source.ATLASSIAN_API_URL,
      OUTBOUND_ALLOWED_HOSTS: source.OUTBOUND_ALLOWED_HOSTS,
      INLINE_CREATION_DEADLINE_MS: source.INLINE_CREATION_DEADLINE_MS,
      OUTBOX_RETRY_BASE_MS: source.OUTBOX_RETRY_BASE_MS,
      OUTBOX_RETRY_MAX_MS: source.OUTBOX_RETRY_MAX_MS,
      OUTBOX_MAX_ATTEMPTS: source.OUTBOX_MAX_ATTEMPTS,
      OUTBOX_MAX_IN_FLIGHT_PER_INTEGRATION: source.OUTBOX_MAX_IN_FLIGHT_PER_INTEGRATION,
      OUTBOX_UNANSWERED_SETTLE_MS: source.OUTBOX_UNANSWERED_SETTLE_MS,
      WORKER_CONCURRENCY: source.WORKER_CONCURRENCY,
      WORKER_POLL_INTERVAL_SECONDS: source.WORKER_POLL_INTERVAL_SECONDS,
      WORKERS_IN_WEB: source.WORKERS_IN_WEB,
      RATE_LIMIT_CUSTOMER_PER_MINUTE: source.RATE_LIMIT_CUSTOMER_PER_MINUTE,
      RATE_LIMIT_STAFF_PER_MINUTE: source.RATE_LIMIT_STAFF_PER_MINUTE,
      BENCH_ROUTES: source.BENCH_ROUTES,
      LOG_LEVEL: source.LOG_LEVEL,
    },
    emptyStringAsUndefined: true,
    // `next build` evaluates server modules without the deployment's secrets; the server
    // validates them when it starts (see instrumentation.ts).
    skipValidation: source.NEXT_PHASE === "phase-production-build" || !!source.SKIP_ENV_VALIDATION,
    onValidationError: (issues) => {
      const lines = issues.map((issue) => {
        const name = issue.path?.map((part) => (typeof part === "object" ? part.key : part)).join(".");
        const missing = issue.message.toLowerCase().includes("received undefined");
        return `  - ${name}: ${missing ? "is required in production" : issue.message}`;
      });
      throw new Error(
        `TicketBridge cannot start: invalid environment.\n${lines.join("\n")}\nSee the environment table in README.md.`,
      );
    },
  });
}

export const env = loadEnv(process.env);
