import "server-only";

import type { ProviderDefinition, ProviderId } from "./types";

/** A provider that is listed in the wizard but cannot be connected yet. */
export function comingSoon(id: ProviderId, name: string, description: string): ProviderDefinition {
  return {
    id,
    name,
    description,
    available: false,
    modes: [],
    describeTarget() {
      throw new Error(`${name} is coming soon.`);
    },
    create() {
      throw new Error(`${name} is coming soon.`);
    },
  };
}
