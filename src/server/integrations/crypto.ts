import "server-only";

import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

import { env } from "~/env";

/**
 * AES-256-GCM sealing of secrets at rest (integration credentials, OAuth tokens).
 *
 * Format: `tb1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id lets a rotated
 * deployment keep opening values sealed with ENCRYPTION_KEY_PREVIOUS while sealing with the new
 * key. `context` is bound as additional authenticated data, so a value sealed for one purpose
 * (say, a user's refresh token) cannot be replayed as another.
 */

const VERSION = "tb1";
const IV_BYTES = 12;

export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedValueError";
  }
}

export type SealingKey = { id: string; key: Buffer };

export function sealingKey(base64: string): SealingKey {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new SealedValueError("An encryption key must be 32 bytes (base64).");
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

export type Keyring = { current: SealingKey; previous: SealingKey[] };

export function keyringFromEnv(): Keyring {
  const previous = (env.ENCRYPTION_KEY_PREVIOUS ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean)
    .map(sealingKey);
  return { current: sealingKey(env.ENCRYPTION_KEY), previous };
}

let defaultKeyring: Keyring | undefined;
const keyring = () => (defaultKeyring ??= keyringFromEnv());

export function seal(plaintext: string, context: string, keys: Keyring = keyring()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keys.current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, keys.current.id, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function open(sealed: string, context: string, keys: Keyring = keyring()): string {
  const [version, keyId, iv, ciphertext, tag, ...rest] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || ciphertext === undefined || !tag || rest.length > 0) {
    throw new SealedValueError("Not a sealed value.");
  }
  const key = [keys.current, ...keys.previous].find((candidate) => candidate.id === keyId);
  if (!key) throw new SealedValueError(`Sealed with an unknown key (${keyId}).`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealedValueError("The sealed value was tampered with or sealed for another purpose.");
  }
}

export function sealJson(value: unknown, context: string, keys?: Keyring): string {
  return seal(JSON.stringify(value), context, keys);
}

export function openJson<T>(sealed: string, context: string, keys?: Keyring): T {
  return JSON.parse(open(sealed, context, keys)) as T;
}
