import { startSandbox } from "../../sandbox/server";
import { prepareTestDatabases } from "./test-databases";

/**
 * One Atlassian + Jira sandbox for the whole run, on a free loopback port, and the migrated
 * embedded database each test file copies. Test processes start after this and inherit
 * SANDBOX_URL, so the app's development defaults point at it. Every request the app sent must
 * conform to Atlassian's OpenAPI document, or the run fails.
 */
export default async function setup() {
  const sandbox = await startSandbox({ port: 0, strict: true });
  process.env.SANDBOX_URL = sandbox.url;
  const removeDatabases = await prepareTestDatabases();
  return async () => {
    const violations = sandbox.violations();
    await sandbox.close();
    await removeDatabases();
    if (violations.length > 0) {
      throw new Error(
        `The app sent ${violations.length} request(s) that do not conform to Jira's OpenAPI document:\n` +
          JSON.stringify(violations.slice(0, 5), null, 2),
      );
    }
  };
}
