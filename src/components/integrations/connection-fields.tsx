"use client";

import { IssueTypePicker, ProjectPicker } from "./discovery-pickers";
import { OAuthSitePicker } from "./oauth-site-picker";
import { SchemaFieldInput } from "./schema-field-input";
import { ISSUE_TYPE_FIELD, PROJECT_FIELD, SITE_FIELDS } from "./schema-form";
import type { ConnectionTarget } from "./use-connection-draft";

const PICKED_FIELDS = new Set<string>([PROJECT_FIELD, ISSUE_TYPE_FIELD]);
const SITE_FIELD_NAMES = new Set<string>(SITE_FIELDS);

/**
 * The connection part of the form, generated from the mode's schema: the site (for modes using
 * the user's Atlassian grant), the typed fields, then the project and issue type picked from live
 * lists. Used by the wizard and by "Edit settings".
 */
export function ConnectionFields({
  target,
  usesUserOAuthGrant,
}: {
  target: ConnectionTarget;
  usesUserOAuthGrant: boolean;
}) {
  const typed = target.specs.filter(
    (spec) => !PICKED_FIELDS.has(spec.name) && !(usesUserOAuthGrant && SITE_FIELD_NAMES.has(spec.name)),
  );
  const has = (name: string) => target.specs.some((spec) => spec.name === name);
  const labelOf = (name: string, fallback: string) =>
    target.specs.find((spec) => spec.name === name)?.label ?? fallback;

  return (
    <div className="space-y-5">
      {usesUserOAuthGrant && <OAuthSitePicker />}
      {typed.map((spec) => (
        <SchemaFieldInput
          key={spec.path}
          spec={spec}
          storedSecret={spec.secret && target.storedSecrets.includes(spec.name)}
        />
      ))}
      {has(PROJECT_FIELD) && (
        <ProjectPicker target={target} label={labelOf(PROJECT_FIELD, "Default project")} />
      )}
      {has(ISSUE_TYPE_FIELD) && (
        <IssueTypePicker target={target} label={labelOf(ISSUE_TYPE_FIELD, "Default issue type")} />
      )}
    </div>
  );
}
