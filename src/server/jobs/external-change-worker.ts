import "server-only";

/** What a worker does with one `external-change.send` job. */
export async function runExternalChangeJob(externalChangeId: string): Promise<string> {
  void externalChangeId;
  return "not_implemented";
}
