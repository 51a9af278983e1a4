import { describe, expect, it } from "vitest";

import { DEVELOPMENT_DEFAULTS, loadEnv } from "./env";

const PRODUCTION_SETTINGS = {
  NODE_ENV: "production",
  AUTH_SECRET: "a-production-secret-that-is-long-enough-123",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  ATLASSIAN_CLIENT_ID: "client-id",
  ATLASSIAN_CLIENT_SECRET: "client-secret",
};

describe("environment", () => {
  it("works with no configuration at all in development, pointing Atlassian at the sandbox", () => {
    const env = loadEnv({ NODE_ENV: "development" });
    expect(env.AUTH_SECRET).toBe(DEVELOPMENT_DEFAULTS.AUTH_SECRET);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DATA_DIR).toBe(".data/pglite");
    expect(env.ATLASSIAN_AUTHORIZATION_URL).toBe("http://localhost:4010/authorize");
    expect(env.ATLASSIAN_TOKEN_URL).toBe("http://localhost:4010/oauth/token");
    expect(env.ATLASSIAN_API_URL).toBe("http://localhost:4010");
  });

  it("follows SANDBOX_URL in development", () => {
    const env = loadEnv({ NODE_ENV: "test", SANDBOX_URL: "http://localhost:4999" });
    expect(env.ATLASSIAN_AUTHORIZATION_URL).toBe("http://localhost:4999/authorize");
  });

  it("refuses to start in production without its secrets, naming each one", () => {
    expect(() => loadEnv({ NODE_ENV: "production" })).toThrowError(
      /cannot start[\s\S]*AUTH_SECRET: is required in production[\s\S]*ENCRYPTION_KEY: is required in production[\s\S]*ATLASSIAN_CLIENT_ID: is required in production[\s\S]*ATLASSIAN_CLIENT_SECRET: is required in production/,
    );
  });

  it("defaults to Atlassian's real endpoints in production", () => {
    const env = loadEnv(PRODUCTION_SETTINGS);
    expect(env.ATLASSIAN_AUTHORIZATION_URL).toBe("https://auth.atlassian.com/authorize");
    expect(env.ATLASSIAN_TOKEN_URL).toBe("https://auth.atlassian.com/oauth/token");
    expect(env.ATLASSIAN_API_URL).toBe("https://api.atlassian.com");
  });

  it("rejects an encryption key that is not 32 bytes, and a database URL that is not PostgreSQL", () => {
    expect(() => loadEnv({ ...PRODUCTION_SETTINGS, ENCRYPTION_KEY: "c2hvcnQ=" })).toThrowError(
      /ENCRYPTION_KEY: must be 32 bytes encoded as base64/,
    );
    expect(() => loadEnv({ ...PRODUCTION_SETTINGS, DATABASE_URL: "mysql://localhost/db" })).toThrowError(
      /DATABASE_URL: must be a postgresql:\/\/ connection string/,
    );
  });

  it("treats empty strings as unset", () => {
    expect(() => loadEnv({ ...PRODUCTION_SETTINGS, AUTH_SECRET: "" })).toThrowError(
      /AUTH_SECRET: is required/,
    );
  });
});
