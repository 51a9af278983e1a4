/**
 * `npm run dev`: the local Atlassian + Jira sandbox and the app, together, on their embedded
 * defaults (PGlite in .data/, no configuration). Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from "node:child_process";

const SANDBOX_PORT = process.env.SANDBOX_PORT ?? "4010";
const APP_PORT = process.env.PORT ?? "3000";

const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(prefix + line);
    });
  }
  child.on("exit", (code) => {
    console.log(`${prefix}exited with code ${code}`);
    shutdown(code ?? 1);
  });
  children.push(child);
}

function shutdown(code: number) {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}

process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

run("sandbox", process.execPath, ["--import", "tsx", "sandbox/server.ts"], { SANDBOX_PORT });
run("app", process.execPath, ["node_modules/next/dist/bin/next", "dev", "--port", APP_PORT], {
  SANDBOX_URL: process.env.SANDBOX_URL ?? `http://localhost:${SANDBOX_PORT}`,
});

console.log(`
  TicketBridge      http://localhost:${APP_PORT}
  Jira sandbox      http://localhost:${SANDBOX_PORT}
  Sign in with Atlassian and pick a demo identity on the sandbox's consent page.
`);
