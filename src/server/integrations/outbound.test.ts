import { describe, expect, it } from "vitest";

import { assertSafeBaseUrl, isAllowedHost } from "./outbound";
import { UnsafeUrl } from "./types";

const ALLOWED = ["localhost:4010", "127.0.0.1:4010"];

async function refusal(url: string, allowed: string[] = []): Promise<string> {
  const error = await assertSafeBaseUrl(url, allowed).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnsafeUrl);
  return (error as UnsafeUrl).message;
}

describe("outbound guard", () => {
  it("refuses private, loopback, link-local and unspecified addresses", async () => {
    for (const url of [
      "https://10.1.2.3",
      "https://172.16.0.1",
      "https://192.168.1.1",
      "https://127.0.0.1",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]",
      "https://[fe80::1]",
      "https://0.0.0.0",
      "https://[::ffff:127.0.0.1]",
      "https://localhost",
    ]) {
      expect(await refusal(url)).toMatch(/private, loopback or link-local/);
    }
  });

  it("refuses plain http, credentials in the URL, and what is not a URL", async () => {
    expect(await refusal("http://example.com")).toMatch(/https:\/\//);
    expect(await refusal("https://user:pass@example.com")).toMatch(/user name and password/);
    expect(await refusal("your-team.atlassian.net")).toMatch(/not a URL/);
  });

  it("lets allow-listed development hosts through, on their port only", async () => {
    await expect(assertSafeBaseUrl("http://localhost:4010/site/acme-demo", ALLOWED)).resolves.toBeInstanceOf(
      URL,
    );
    expect(isAllowedHost(new URL("http://localhost:4011"), ALLOWED)).toBe(false);
    expect(await refusal("http://localhost:4011", ALLOWED)).toMatch(/https/);
  });

  it("accepts public addresses", async () => {
    await expect(assertSafeBaseUrl("https://93.184.215.14", [])).resolves.toBeInstanceOf(URL);
  });
});
