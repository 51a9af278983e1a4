import "server-only";

import { z } from "zod";

import type { ConnectionMode } from "./types";

/**
 * Secret credential fields are marked where the provider declares them; everything that leaves
 * the server is derived from these marks, so a new secret field is hidden without extra code.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true, writeOnly: true });
}

export function isSecret(schema: z.ZodType): boolean {
  return z.globalRegistry.get(schema)?.secret === true;
}

export function secretFieldNames(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecret(field as z.ZodType))
    .map(([name]) => name);
}

/** The credential schema without its secret fields: all of credentials that may be shown. */
export function publicCredentialSchema(mode: ConnectionMode): z.ZodObject {
  const visible = Object.entries(mode.credentialSchema.shape).filter(
    ([, field]) => !isSecret(field as z.ZodType),
  );
  return z.object(Object.fromEntries(visible));
}

export function publicCredentials(
  mode: ConnectionMode,
  credentials: Record<string, unknown>,
): Record<string, unknown> {
  const visible = Object.keys(publicCredentialSchema(mode).shape);
  return Object.fromEntries(
    visible.filter((name) => name in credentials).map((name) => [name, credentials[name]]),
  );
}

/** JSON Schema of a connection mode's form: config and credentials, secret fields marked. */
export function configurationJsonSchema(mode: ConnectionMode) {
  return {
    config: z.toJSONSchema(mode.configSchema, { io: "input", unrepresentable: "any" }),
    credentials: z.toJSONSchema(mode.credentialSchema, { io: "input", unrepresentable: "any" }),
    secretFields: secretFieldNames(mode.credentialSchema),
  };
}
