import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { open, openJson, seal, sealingKey, sealJson, SealedValueError, type Keyring } from "./crypto";

const keyring = (): Keyring => ({ current: sealingKey(randomBytes(32).toString("base64")), previous: [] });

describe("sealing", () => {
  it("round-trips a value and never shows the plaintext", () => {
    const keys = keyring();
    const sealed = seal("refresh-token-123", "account:atlassian:1:refresh", keys);
    expect(sealed).not.toContain("refresh-token-123");
    expect(sealed.startsWith(`tb1.${keys.current.id}.`)).toBe(true);
    expect(open(sealed, "account:atlassian:1:refresh", keys)).toBe("refresh-token-123");
  });

  it("uses a fresh IV every time", () => {
    const keys = keyring();
    expect(seal("same", "ctx", keys)).not.toBe(seal("same", "ctx", keys));
  });

  it("rejects tampered ciphertext, IV and tag", () => {
    const keys = keyring();
    const sealed = seal("secret value", "ctx", keys);
    const parts = sealed.split(".");
    for (const index of [2, 3, 4]) {
      const tampered = [...parts];
      const bytes = Buffer.from(tampered[index]!, "base64url");
      bytes[0] = bytes[0]! ^ 0xff;
      tampered[index] = bytes.toString("base64url");
      expect(() => open(tampered.join("."), "ctx", keys)).toThrowError(SealedValueError);
    }
  });

  it("rejects a value sealed for another purpose", () => {
    const keys = keyring();
    const sealed = seal("access", "account:atlassian:1:access", keys);
    expect(() => open(sealed, "account:atlassian:2:access", keys)).toThrowError(/another purpose/);
  });

  it("opens values sealed with a previous key after rotation, and refuses unknown keys", () => {
    const old = keyring();
    const sealed = seal("old secret", "ctx", old);
    const rotated: Keyring = { current: keyring().current, previous: [old.current] };
    expect(open(sealed, "ctx", rotated)).toBe("old secret");
    expect(() => open(sealed, "ctx", keyring())).toThrowError(/unknown key/);
  });

  it("refuses what is not a sealed value", () => {
    expect(() => open("plain-text-token", "ctx", keyring())).toThrowError(/Not a sealed value/);
  });

  it("seals JSON credentials", () => {
    const keys = keyring();
    const credentials = { email: "a@example.test", apiToken: "tok" };
    expect(openJson(sealJson(credentials, "integration:1", keys), "integration:1", keys)).toEqual(
      credentials,
    );
  });

  it("requires a 32-byte key", () => {
    expect(() => sealingKey(Buffer.alloc(16).toString("base64"))).toThrowError(/32 bytes/);
  });
});
