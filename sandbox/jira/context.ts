/** Types shared by the Jira REST handlers, and Jira-style error bodies. */
import type { DemoUser } from "../fixtures";
import type { Query } from "../http";
import type { SandboxRuntime } from "../runtime";
import type { Grant, SandboxState, SiteState } from "../state";
import type { UploadedPart } from "./attachments";

export type JiraAuth = { kind: "basic" } | { kind: "pat" } | { kind: "oauth"; grant: Grant };

export interface JiraContext {
  runtime: SandboxRuntime;
  state: SandboxState;
  site: SiteState;
  user: DemoUser;
  auth: JiraAuth;
  /** Prefix for `self` links, e.g. `http://localhost:4010/ex/jira/<cloudId>` (no `/rest/api/3`). */
  apiBase: string;
  /** The site's own base URL (icons, browse links). */
  siteBase: string;
  /** The sandbox's public URL (avatars). */
  publicUrl: string;
  /** Which Jira the URL prefix plays: Cloud, or Data Center under `/dc/{site}`. */
  deployment: "Cloud" | "DataCenter";
  operationId: string;
  params: Record<string, string>;
  query: Query;
  /** Parsed JSON body, undefined when there was none. */
  body: unknown;
  /** The parts of a multipart/form-data body (attachments). */
  files?: UploadedPart[];
  /** The request's headers (lower-case names). */
  headers?: Record<string, string | string[] | undefined>;
}

export interface JiraResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON answer (attachment content), sent as these bytes. */
  raw?: { contentType: string; data: Buffer };
}

export type JiraHandler = (ctx: JiraContext) => JiraResult | Promise<JiraResult>;

export interface ErrorCollection {
  errorMessages: string[];
  errors: Record<string, string>;
}

export function jiraError(
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
): JiraResult {
  return { status, body: { errorMessages, errors } satisfies ErrorCollection };
}

export const NOT_AUTHENTICATED = {
  errorMessages: ["You are not authenticated. Authentication required to perform this operation."],
  errors: {},
};

export function param(ctx: JiraContext, name: string): string {
  return ctx.params[name] ?? "";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function rest(ctx: { apiBase: string }, path: string): string {
  return `${ctx.apiBase}/rest/api/3${path}`;
}
