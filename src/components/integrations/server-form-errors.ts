import type { UseFormSetError } from "react-hook-form";

import { formPathOf, type ConnectionFormValues, type FieldSpec } from "./schema-form";
import { fieldErrorsOf } from "./trpc-errors";

/**
 * Puts the server's field messages next to their fields; returns the ones that belong to no field
 * of the form (shown in the form's alert with the error message).
 */
export function applyServerFieldErrors(
  error: unknown,
  specs: FieldSpec[],
  setError: UseFormSetError<ConnectionFormValues>,
): string[] {
  const unplaced: string[] = [];
  for (const [field, message] of Object.entries(fieldErrorsOf(error))) {
    const path = formPathOf(field, specs);
    if (path)
      setError(path as Parameters<typeof setError>[0], { type: "server", message }, { shouldFocus: true });
    else unplaced.push(`${field}: ${message}`);
  }
  return unplaced;
}
