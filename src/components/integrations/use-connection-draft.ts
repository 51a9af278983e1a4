"use client";

import { useMemo } from "react";
import { useFormContext, useWatch } from "react-hook-form";

import {
  connectionOnlySchema,
  ISSUE_TYPE_FIELD,
  PROJECT_FIELD,
  withoutBlanks,
  type ConnectionFormValues,
  type FieldSpec,
} from "./schema-form";

export type ConnectionTarget = {
  provider: string;
  mode: string;
  /** When editing: blank secrets come from this stored integration. */
  integrationId?: string;
  specs: FieldSpec[];
  storedSecrets: string[];
};

/**
 * What is needed to reach the system, as typed so far: the draft the discovery procedures take,
 * whether it is complete enough to try, and a key that changes only when the draft does.
 */
export function useConnectionDraft(target: ConnectionTarget) {
  const { control } = useFormContext<ConnectionFormValues>();
  const [config = {}, credentials = {}] = useWatch({ control, name: ["config", "credentials"] });
  const { provider, mode, integrationId, specs, storedSecrets } = target;

  const reachSchema = useMemo(() => connectionOnlySchema(specs, { storedSecrets }), [specs, storedSecrets]);

  return useMemo(() => {
    const { [PROJECT_FIELD]: projectKey = "", [ISSUE_TYPE_FIELD]: issueType = "", ...reach } = config;
    const draft = {
      provider,
      mode,
      integrationId,
      config: withoutBlanks(reach),
      credentials: withoutBlanks(credentials),
    };
    return {
      draft,
      key: JSON.stringify(draft),
      ready: reachSchema.safeParse({ config: reach, credentials }).success,
      projectKey,
      issueType,
    };
  }, [config, credentials, provider, mode, integrationId, reachSchema]);
}
