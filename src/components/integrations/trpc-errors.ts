/** What the app's tRPC error formatter sends: a message for people, a code, field messages. */
type AppClientError = {
  message: string;
  data?: { code?: string; fieldErrors?: Record<string, string[] | undefined> | null } | null;
};

function asAppClientError(error: unknown): AppClientError | null {
  if (!error || typeof error !== "object" || !("message" in error)) return null;
  return error as AppClientError;
}

export function errorMessage(error: unknown): string {
  return asAppClientError(error)?.message ?? "Something went wrong. Try again.";
}

export function isForbidden(error: unknown): boolean {
  return asAppClientError(error)?.data?.code === "FORBIDDEN";
}

export function isNotFound(error: unknown): boolean {
  return asAppClientError(error)?.data?.code === "NOT_FOUND";
}

/** Field name → first message, as the server reported them. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fieldErrors = asAppClientError(error)?.data?.fieldErrors ?? {};
  const result: Record<string, string> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (messages?.[0]) result[field] = messages[0];
  }
  return result;
}
