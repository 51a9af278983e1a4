import { describe, expect, it } from "vitest";

import {
  getConnectionMode,
  getProvider,
  listProviders,
  UnknownConnectionModeError,
  UnknownProviderError,
} from "./registry";
import {
  configurationJsonSchema,
  publicCredentials,
  publicCredentialSchema,
  secretFieldNames,
} from "./schema";

describe("provider registry", () => {
  it("answers an unknown provider or mode with a typed error", () => {
    expect(() => getProvider("bugzilla")).toThrowError(UnknownProviderError);
    expect(() => getProvider("__proto__")).toThrowError(UnknownProviderError);
    expect(() => getConnectionMode("jira", "carrier_pigeon")).toThrowError(UnknownConnectionModeError);
  });

  it("lists Jira as available and the other systems as coming soon", () => {
    const providers = listProviders();
    expect(providers.find((provider) => provider.id === "jira")?.available).toBe(true);
    expect(providers.filter((provider) => !provider.available).map((provider) => provider.id)).toEqual([
      "salesforce",
      "linear",
      "servicenow",
      "zendesk",
      "asana",
      "monday",
      "clickup",
    ]);
  });

  it("derives public views that never contain a secret field", () => {
    for (const provider of listProviders()) {
      for (const mode of provider.modes) {
        const secrets = secretFieldNames(mode.credentialSchema);
        const publicShape = Object.keys(publicCredentialSchema(mode).shape);
        for (const secret of secrets) expect(publicShape).not.toContain(secret);
        const everything = Object.fromEntries(
          Object.keys(mode.credentialSchema.shape).map((name) => [name, `value-of-${name}`]),
        );
        const shown = JSON.stringify(publicCredentials(mode, everything));
        for (const secret of secrets) expect(shown).not.toContain(`value-of-${secret}`);
        expect(configurationJsonSchema(mode).secretFields).toEqual(secrets);
      }
    }
  });

  it("marks the Jira token fields secret", () => {
    expect(secretFieldNames(getConnectionMode("jira", "cloud_api_token").credentialSchema)).toEqual([
      "apiToken",
    ]);
    expect(secretFieldNames(getConnectionMode("jira", "server_pat").credentialSchema)).toEqual([
      "personalAccessToken",
    ]);
  });
});
