/**
 * Request (and optionally response) validation against Atlassian's Jira Cloud OpenAPI document,
 * so the app cannot rely on anything the real API would reject. The document is loaded lazily,
 * once per process.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { OpenAPIBackend, type Document, type Operation } from "openapi-backend";
import type { Query } from "./http";

type Ajv = Parameters<NonNullable<ConstructorParameters<typeof OpenAPIBackend>[0]["customizeAjv"]>>[0];

const SPEC_FILE = "jira-platform-v3.openapi.json";
const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the document lives: sandbox/specs, unless `SANDBOX_OPENAPI_SPEC` names another copy. */
export function specCandidates(): string[] {
  const fromEnv = process.env.SANDBOX_OPENAPI_SPEC;
  return [...(fromEnv ? [fromEnv] : []), path.join(here, "specs", SPEC_FILE)];
}

export interface MatchedOperation {
  operationId: string;
  /** Path parameters, already URL-decoded. */
  params: Record<string, string>;
  /** Alternative OAuth scope sets; the token must hold every scope of at least one set. Empty = none needed. */
  oauthScopeSets: string[][];
  /** Whether the operation accepts JSON bodies (requests with other bodies are rejected). */
  hasRequestBody: boolean;
}

export interface RequestToValidate {
  method: string;
  path: string;
  query: Query;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

/** An operation with its path template compiled once; openapi-backend recompiles all ~600 per request. */
interface Route {
  operation: Operation;
  pattern: RegExp;
  /** The template's parameter names, in the order of the pattern's groups. */
  names: string[];
}

export class JiraOpenApi {
  private readonly byId = new Map<string, Operation>();
  /** Every operation by its own "method path": a path that is literally a template matches it first. */
  private readonly exact = new Map<string, Operation>();
  /**
   * Templates by "method slashes": a parameter never spans a slash, so only templates with as many
   * segments as the path can match it. Each list is most specific first (longest literal part), as
   * openapi-backend orders template matches.
   */
  private readonly templates = new Map<string, Route[]>();

  constructor(
    private readonly api: OpenAPIBackend,
    readonly knownScopes: ReadonlySet<string>,
  ) {
    const operations = api.getOperations();
    const literalLength = (template: string) => template.replace(/\{[^}]*\}/g, "").length;
    const bySpecificity = [...operations].sort((a, b) => literalLength(b.path) - literalLength(a.path));
    for (const operation of bySpecificity) {
      if (operation.operationId) this.byId.set(operation.operationId, operation);
      const exactKey = `${operation.method} ${operation.path}`;
      if (!this.exact.has(exactKey)) this.exact.set(exactKey, operation);
      // Without parameters, an operation matches only its own path, which `exact` answers.
      if (!operation.path.includes("{")) continue;
      const key = templateKey(operation.method, operation.path);
      const bucket = this.templates.get(key) ?? [];
      bucket.push({ operation, ...compileTemplate(operation.path) });
      this.templates.set(key, bucket);
    }
  }

  /** Same rules as openapi-backend's router: an exact path wins, then the most specific template. */
  match(method: string, jiraPath: string): MatchedOperation | undefined {
    const lower = method.toLowerCase();
    const path = jiraPath.length > 1 ? jiraPath.replace(/\/+$/, "") : jiraPath;
    let operation = this.exact.get(`${lower} ${path}`);
    const params: Record<string, string> = {};
    if (!operation) {
      for (const route of this.templates.get(templateKey(lower, path)) ?? []) {
        const found = route.pattern.exec(path);
        if (!found) continue;
        operation = route.operation;
        route.names.forEach((name, index) => (params[name] = safeDecode(found[index + 1]!)));
        break;
      }
    }
    if (!operation?.operationId) return undefined;
    return {
      operationId: operation.operationId,
      params,
      oauthScopeSets: oauthScopeSets(operation),
      hasRequestBody: operation.requestBody !== undefined,
    };
  }

  /** ajv error messages for a request to the operation `match` found; empty when it conforms. */
  validateRequest(operationId: string, req: RequestToValidate): string[] {
    const operation = this.byId.get(operationId);
    if (!operation) return [`unknown operation ${operationId}`];
    const result = this.api.validateRequest(
      {
        method: req.method,
        path: req.path,
        query: req.query,
        headers: normaliseHeaders(req.headers),
        body: req.rawBody === "" ? undefined : req.rawBody,
      },
      operation,
    );
    return result.valid ? [] : formatErrors(result.errors);
  }

  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const operation = this.byId.get(operationId);
    if (!operation) return [`unknown operation ${operationId}`];
    const result = this.api.validateResponse(body, operation, status);
    return result.valid ? [] : formatErrors(result.errors);
  }
}

let loading: Promise<JiraOpenApi> | undefined;

/** Loads (once per process) and returns the validator. */
export function loadJiraOpenApi(): Promise<JiraOpenApi> {
  loading ??= createValidator().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function createValidator(): Promise<JiraOpenApi> {
  const file = specCandidates().find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`Jira OpenAPI document not found; looked in: ${specCandidates().join(", ")}`);
  const definition = JSON.parse(readFileSync(file, "utf8")) as Document;
  // Atlassian's document does not pass openapi-backend's own schema check, hence `quick`.
  const api = new OpenAPIBackend({
    definition,
    quick: true,
    validate: true,
    ajvOpts: { strict: false },
    customizeAjv: addStringFormats,
  });
  await api.init();
  return new JiraOpenApi(api, collectKnownScopes(definition));
}

/**
 * The document uses formats ajv does not know (uri, date-time, uuid, date, url). They describe
 * response data; a permissive check keeps ajv quiet without rejecting realistic requests.
 */
function addStringFormats(ajv: Ajv): Ajv {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const isUri = (value: string) => {
    try {
      new URL(value);
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat("uri", { type: "string", validate: isUri });
  ajv.addFormat("url", { type: "string", validate: isUri });
  ajv.addFormat("uuid", { type: "string", validate: uuid });
  ajv.addFormat("date", { type: "string", validate: (v: string) => !Number.isNaN(Date.parse(v)) });
  ajv.addFormat("date-time", {
    type: "string",
    validate: (v: string) => !Number.isNaN(Date.parse(v.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"))),
  });
  return ajv;
}

function templateKey(method: string, path: string): string {
  return `${method} ${path.split("/").length}`;
}

/** The template as a pattern with one group per parameter, and the parameters' names in order. */
function compileTemplate(template: string): Pick<Route, "pattern" | "names"> {
  const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map(escape)
      .join("([^/]+)")}$`,
  );
  return { pattern, names: [...template.matchAll(/\{([^}]+)\}/g)].map((found) => found[1]!) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function normaliseHeaders(headers: RequestToValidate["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  params?: unknown;
}

function formatErrors(errors: unknown): string[] {
  if (!Array.isArray(errors)) return ["request is invalid"];
  return (errors as AjvLikeError[]).map((e) => {
    const where = (e.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".") || "request";
    const extra =
      e.params && typeof e.params === "object" && "additionalProperty" in e.params
        ? ` '${String((e.params as { additionalProperty: unknown }).additionalProperty)}'`
        : "";
    return `${where} ${e.message ?? "is invalid"}${extra}`;
  });
}

type WithAtlassianExtensions = Operation & {
  "x-atlassian-oauth2-scopes"?: Array<{ scheme?: string; scopes?: string[]; state?: string }>;
};

function oauthScopeSets(operation: Operation): string[][] {
  const extension = (operation as WithAtlassianExtensions)["x-atlassian-oauth2-scopes"];
  if (extension && extension.length > 0) {
    return extension.map((entry) => entry.scopes ?? []).filter((scopes) => scopes.length > 0);
  }
  const fromSecurity = (operation.security ?? []).flatMap((requirement) =>
    requirement.OAuth2 ? [requirement.OAuth2] : [],
  );
  return fromSecurity.filter((scopes) => scopes.length > 0);
}

function collectKnownScopes(definition: Document): Set<string> {
  const scheme = definition.components?.securitySchemes?.OAuth2;
  const scopes = new Set<string>([
    "offline_access",
    "read:me",
    "read:account",
    "manage:jira-data-provider",
    "report:personal-data",
  ]);
  if (scheme && "flows" in scheme) {
    for (const scope of Object.keys(scheme.flows.authorizationCode?.scopes ?? {})) scopes.add(scope);
  }
  for (const item of Object.values(definition.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      if (operation && typeof operation === "object" && "operationId" in operation) {
        for (const set of oauthScopeSets(operation as Operation)) for (const s of set) scopes.add(s);
      }
    }
  }
  return scopes;
}
