import { startSandbox } from "../../sandbox/server";

/**
 * One Atlassian + Jira sandbox for the whole run, on a free loopback port. Test processes start
 * after this and inherit SANDBOX_URL, so the app's development defaults point at it.
 */
export default async function setup() {
  const sandbox = await startSandbox({ port: 0, strict: true });
  process.env.SANDBOX_URL = sandbox.url;
  return async () => {
    await sandbox.close();
  };
}
