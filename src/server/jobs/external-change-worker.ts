import "server-only";

import { sendExternalChange } from "~/server/services/tickets/external-changes";

/**
 * What a worker does with one `external-change.send` job. A change already sent, leased by an
 * inline attempt, or waiting for a later retry (another job carries it) is skipped.
 */
export async function runExternalChangeJob(externalChangeId: string): Promise<string> {
  return sendExternalChange(externalChangeId);
}
