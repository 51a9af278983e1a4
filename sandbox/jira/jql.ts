/**
 * A tiny JQL subset: clauses joined with AND, and an optional ORDER BY.
 *
 *   project = DEMO AND issue.property[ticketbridge].requestId = "abc"
 *   key in (DEMO-1, DEMO-2) AND updated >= -5m ORDER BY updated DESC
 *
 * Anything else is rejected with a 400 in Jira's "Error in the JQL Query: ..." style, so the app
 * never depends on JQL the sandbox does not really evaluate.
 */
import { DEMO_ISSUE_TYPES, DEMO_PRIORITIES, DEMO_STATUSES, DEMO_USERS } from "../fixtures";
import type { SiteState, StoredIssue } from "../state";
import { adfPlainText } from "../adf";

export class JqlError extends Error {}

type Token =
  | { kind: "string"; text: string }
  | { kind: "word"; text: string }
  | { kind: "op"; text: string }
  | { kind: "punct"; text: "(" | ")" | "," }
  | { kind: "eof"; text: "EOF" };

type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "in" | "not in" | "is" | "is not";

type JqlValue = { kind: "literal"; text: string } | { kind: "function"; name: string } | { kind: "empty" };

type JqlField = { kind: "field"; name: string } | { kind: "property"; key: string; path: string[] };

interface JqlClause {
  field: JqlField;
  operator: Operator;
  values: JqlValue[];
}

export interface JqlQuery {
  clauses: JqlClause[];
  orderBy: Array<{ field: string; direction: "asc" | "desc" }>;
}

const SUPPORTED_HINT =
  "supported: project, key/issuekey, id, status, issuetype, priority, labels, assignee, reporter, summary ~, text ~, created, updated, issue.property[key].path; clauses joined with AND; ORDER BY";

function unsupported(what: string): JqlError {
  return new JqlError(
    `Error in the JQL Query: ${what} is not supported by the Jira sandbox (${SUPPORTED_HINT}).`,
  );
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"' || c === "'") {
      let text = "";
      i += 1;
      while (i < input.length && input.charAt(i) !== c) {
        if (input.charAt(i) === "\\" && i + 1 < input.length) i += 1;
        text += input.charAt(i);
        i += 1;
      }
      if (i >= input.length)
        throw new JqlError(`Error in the JQL Query: The quoted string '${text}' has not been completed.`);
      i += 1;
      tokens.push({ kind: "string", text });
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: "punct", text: c });
      i += 1;
    } else if ("=!<>~".includes(c)) {
      const two = input.slice(i, i + 2);
      if (two === "!=" || two === ">=" || two === "<=" || two === "!~") {
        tokens.push({ kind: "op", text: two });
        i += 2;
      } else if (c === "!") {
        throw new JqlError(
          `Error in the JQL Query: The character '!' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0021' instead.`,
        );
      } else {
        tokens.push({ kind: "op", text: c });
        i += 1;
      }
    } else {
      let text = "";
      while (i < input.length && !/[\s()",'=!<>~]/.test(input.charAt(i))) {
        // issue.property[key] may contain characters that would otherwise end a word.
        if (input.charAt(i) === "[") {
          const close = input.indexOf("]", i);
          if (close < 0)
            throw new JqlError("Error in the JQL Query: Expecting ']' before the end of the query.");
          text += input.slice(i, close + 1);
          i = close + 1;
          continue;
        }
        text += input.charAt(i);
        i += 1;
      }
      tokens.push({ kind: "word", text });
    }
  }
  tokens.push({ kind: "eof", text: "EOF" });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { kind: "eof", text: "EOF" };
  }
  private next(): Token {
    const token = this.peek();
    this.pos += 1;
    return token;
  }
  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === "word" && token.text.toLowerCase() === word;
  }

  parse(): JqlQuery {
    const clauses: JqlClause[] = [];
    if (this.peek().kind !== "eof" && !this.isWord("order")) {
      clauses.push(this.clause());
      while (this.isWord("and")) {
        this.next();
        clauses.push(this.clause());
      }
    }
    if (this.isWord("or")) throw unsupported("'OR'");
    const orderBy = this.isWord("order") ? this.orderBy() : [];
    const rest = this.peek();
    if (rest.kind !== "eof")
      throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'.`);
    return { clauses, orderBy };
  }

  private clause(): JqlClause {
    const token = this.next();
    if (token.kind === "punct" && token.text === "(") throw unsupported("Grouping with parentheses");
    if (token.kind === "word" && token.text.toLowerCase() === "not") throw unsupported("'NOT'");
    if (token.kind !== "word" && token.kind !== "string")
      throw new JqlError(`Error in the JQL Query: Expecting a field name but got '${token.text}'.`);
    const field = parseField(token.text);
    const operator = this.operator();
    if (operator === "in" || operator === "not in") return { field, operator, values: this.list() };
    if (operator === "is" || operator === "is not") {
      const value = this.next();
      if (value.kind !== "word" || !["empty", "null"].includes(value.text.toLowerCase())) {
        throw new JqlError(`Error in the JQL Query: Expecting 'EMPTY' or 'NULL' but got '${value.text}'.`);
      }
      return { field, operator, values: [{ kind: "empty" }] };
    }
    return { field, operator, values: [this.value()] };
  }

  private operator(): Operator {
    const token = this.next();
    if (token.kind === "op") {
      if (token.text === "!~") throw unsupported("The operator '!~'");
      return token.text as Operator;
    }
    if (token.kind === "word") {
      const word = token.text.toLowerCase();
      if (word === "in") return "in";
      if (word === "is") {
        if (this.isWord("not")) {
          this.next();
          return "is not";
        }
        return "is";
      }
      if (word === "not" && this.isWord("in")) {
        this.next();
        return "not in";
      }
      if (["was", "changed"].includes(word)) throw unsupported(`The operator '${word.toUpperCase()}'`);
    }
    throw new JqlError(
      `Error in the JQL Query: Expecting operator but got '${token.text}'. Valid operators are '=', '!=', '<', '>', '<=', '>=', '~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`,
    );
  }

  private list(): JqlValue[] {
    const open = this.next();
    if (open.kind !== "punct" || open.text !== "(")
      throw new JqlError(`Error in the JQL Query: Expecting '(' but got '${open.text}'.`);
    const values = [this.value()];
    while (this.peek().kind === "punct" && this.peek().text === ",") {
      this.next();
      values.push(this.value());
    }
    const close = this.next();
    if (close.kind !== "punct" || close.text !== ")")
      throw new JqlError(`Error in the JQL Query: Expecting ')' but got '${close.text}'.`);
    return values;
  }

  private value(): JqlValue {
    const token = this.next();
    if (token.kind === "string") return { kind: "literal", text: token.text };
    if (token.kind !== "word")
      throw new JqlError(
        `Error in the JQL Query: Expecting either a value, list or function but got '${token.text}'.`,
      );
    if (this.peek().kind === "punct" && this.peek().text === "(") {
      this.next();
      const close = this.next();
      if (close.kind !== "punct" || close.text !== ")") throw unsupported("Function arguments");
      const name = token.text.toLowerCase();
      if (name !== "currentuser" && name !== "now") throw unsupported(`The function '${token.text}()'`);
      return { kind: "function", name };
    }
    const lower = token.text.toLowerCase();
    if (lower === "empty" || lower === "null") return { kind: "empty" };
    return { kind: "literal", text: token.text };
  }

  private orderBy(): JqlQuery["orderBy"] {
    this.next();
    if (!this.isWord("by"))
      throw new JqlError(`Error in the JQL Query: Expecting 'BY' but got '${this.peek().text}'.`);
    this.next();
    const fields: JqlQuery["orderBy"] = [];
    do {
      if (fields.length > 0) this.next(); // the comma
      const token = this.next();
      if (token.kind !== "word" && token.kind !== "string")
        throw new JqlError(`Error in the JQL Query: Expecting a field name but got '${token.text}'.`);
      const field = canonicalField(token.text);
      if (!SORTABLE.has(field)) throw unsupported(`Ordering by '${token.text}'`);
      let direction: "asc" | "desc" = "asc";
      if (this.isWord("asc") || this.isWord("desc"))
        direction = this.next().text.toLowerCase() as "asc" | "desc";
      fields.push({ field, direction });
    } while (this.peek().kind === "punct" && this.peek().text === ",");
    return fields;
  }
}

const FIELD_ALIASES: Record<string, string> = { issuekey: "key", type: "issuetype", issue: "key" };
const FIELDS = new Set([
  "project",
  "key",
  "id",
  "status",
  "issuetype",
  "priority",
  "labels",
  "assignee",
  "reporter",
  "summary",
  "text",
  "created",
  "updated",
]);
const SORTABLE = new Set(["created", "updated", "key", "id", "summary", "priority"]);

function canonicalField(name: string): string {
  const lower = name.toLowerCase();
  return FIELD_ALIASES[lower] ?? lower;
}

function parseField(text: string): JqlField {
  const property = /^issue\.property\[([^\]]+)\](?:\.(.+))?$/i.exec(text);
  if (property) {
    const key = (property[1] ?? "").trim().replace(/^["']|["']$/g, "");
    return { kind: "property", key, path: property[2] ? property[2].split(".") : [] };
  }
  const name = canonicalField(text);
  if (FIELDS.has(name)) return { kind: "field", name };
  if (/^(cf\[\d+\]|customfield_\d+)$/i.test(text)) throw unsupported(`Searching by custom field '${text}'`);
  throw new JqlError(`Field '${text}' does not exist or you do not have permission to view it.`);
}

export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}

export interface JqlEnvironment {
  site: SiteState;
  /** The searching user, for currentUser(); null for webhook filters. */
  accountId: string | null;
  now: number;
}

export interface CompiledJql {
  matches(issue: StoredIssue): boolean;
  sort(issues: StoredIssue[]): StoredIssue[];
}

type Predicate = (issue: StoredIssue) => boolean;

/** Validates values against the site (unknown projects, statuses, ... are errors) and builds predicates. */
export function compileJql(query: JqlQuery, env: JqlEnvironment): CompiledJql {
  const predicates = query.clauses.map((clause) => compileClause(clause, env));
  return {
    matches: (issue) => predicates.every((p) => p(issue)),
    sort: (issues) => sortIssues(issues, query.orderBy),
  };
}

function operatorNotSupported(op: Operator, field: string): JqlError {
  return new JqlError(
    `Error in the JQL Query: The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`,
  );
}

function literalTexts(values: JqlValue[], field: string, env: JqlEnvironment): string[] {
  return values.map((v) => {
    if (v.kind === "literal") return v.text;
    if (v.kind === "function" && v.name === "currentuser" && (field === "assignee" || field === "reporter")) {
      if (!env.accountId) throw new JqlError("Error in the JQL Query: currentUser() cannot be used here.");
      return env.accountId;
    }
    throw new JqlError(`Error in the JQL Query: A value of this kind is not valid for the field '${field}'.`);
  });
}

/** Builds an equality/IN predicate from a "value of the issue" getter and a value resolver. */
function membership(
  clause: JqlClause,
  field: string,
  resolve: (text: string) => string,
  get: (issue: StoredIssue) => string | null,
  env: JqlEnvironment,
): Predicate {
  const op = clause.operator;
  if (op === "is" || op === "is not") {
    return (issue) => (get(issue) === null) === (op === "is");
  }
  if (!["=", "!=", "in", "not in"].includes(op)) throw operatorNotSupported(op, field);
  const wanted = new Set(literalTexts(clause.values, field, env).map(resolve));
  const negate = op === "!=" || op === "not in";
  return (issue) => {
    const value = get(issue);
    return value !== null && wanted.has(value) !== negate;
  };
}

function compileClause(clause: JqlClause, env: JqlEnvironment): Predicate {
  if (clause.field.kind === "property") return compileProperty(clause, clause.field, env);
  const field = clause.field.name;
  const site = env.site;
  switch (field) {
    case "project":
      return membership(
        clause,
        field,
        (text) => {
          const project = site.projects.find(
            (p) =>
              p.key === text.toUpperCase() || p.id === text || p.name.toLowerCase() === text.toLowerCase(),
          );
          if (!project) throw new JqlError(`The value '${text}' does not exist for the field 'project'.`);
          return project.id;
        },
        (issue) => issue.projectId,
        env,
      );
    case "key":
    case "id":
      return membership(
        clause,
        field,
        (text) => {
          const issue = site.issues.find((i) => i.key === text.toUpperCase() || i.id === text);
          if (!issue) throw new JqlError(`An issue with key '${text}' does not exist for field '${field}'.`);
          return issue.id;
        },
        (issue) => issue.id,
        env,
      );
    case "status":
      return membership(
        clause,
        field,
        (text) => lookupNamed(DEMO_STATUSES, text, field),
        (issue) => issue.statusId,
        env,
      );
    case "issuetype":
      return membership(
        clause,
        field,
        (text) => lookupNamed(Object.values(DEMO_ISSUE_TYPES), text, field),
        (issue) => issue.issueTypeId,
        env,
      );
    case "priority":
      return membership(
        clause,
        field,
        (text) => lookupNamed(DEMO_PRIORITIES, text, field),
        (issue) => issue.priorityId,
        env,
      );
    case "assignee":
    case "reporter": {
      const get = (issue: StoredIssue) => (field === "assignee" ? issue.assigneeId : issue.reporterId);
      return membership(
        clause,
        field,
        (text) => DEMO_USERS.find((u) => u.accountId === text || u.email === text)?.accountId ?? text,
        get,
        env,
      );
    }
    case "labels":
      return compileLabels(clause, env);
    case "summary":
    case "text": {
      if (clause.operator !== "~") throw operatorNotSupported(clause.operator, field);
      const needle = literalTexts(clause.values, field, env)[0]?.toLowerCase().replace(/\*/g, "") ?? "";
      return (issue) => {
        const haystack =
          field === "summary"
            ? issue.summary
            : `${issue.summary}\n${issue.description ? adfPlainText(issue.description) : ""}`;
        return haystack.toLowerCase().includes(needle);
      };
    }
    case "created":
    case "updated":
      return compileDate(clause, field, env);
    default:
      throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
  }
}

function lookupNamed(list: ReadonlyArray<{ id: string; name: string }>, text: string, field: string): string {
  const found = list.find((item) => item.id === text || item.name.toLowerCase() === text.toLowerCase());
  if (!found) throw new JqlError(`The value '${text}' does not exist for the field '${field}'.`);
  return found.id;
}

function compileLabels(clause: JqlClause, env: JqlEnvironment): Predicate {
  const op = clause.operator;
  if (op === "is" || op === "is not") return (issue) => (issue.labels.length === 0) === (op === "is");
  if (!["=", "!=", "in", "not in"].includes(op)) throw operatorNotSupported(op, "labels");
  const wanted = literalTexts(clause.values, "labels", env);
  const negate = op === "!=" || op === "not in";
  // As in Jira, a negated clause never matches an issue without labels (use IS EMPTY for those).
  return (issue) =>
    negate
      ? issue.labels.length > 0 && !wanted.some((l) => issue.labels.includes(l))
      : wanted.some((l) => issue.labels.includes(l));
}

function compileProperty(
  clause: JqlClause,
  field: Extract<JqlField, { kind: "property" }>,
  env: JqlEnvironment,
): Predicate {
  const op = clause.operator;
  const read = (issue: StoredIssue): unknown[] => {
    if (!issue.properties.has(field.key)) return [];
    let value: unknown = issue.properties.get(field.key);
    for (const part of field.path) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
      value = (value as Record<string, unknown>)[part];
    }
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  };
  if (op === "is" || op === "is not") return (issue) => (read(issue).length === 0) === (op === "is");
  if (!["=", "!=", "in", "not in"].includes(op))
    throw operatorNotSupported(op, `issue.property[${field.key}]`);
  const wanted = new Set(literalTexts(clause.values, "issue.property", env));
  const negate = op === "!=" || op === "not in";
  return (issue) => {
    const values = read(issue);
    if (values.length === 0) return false;
    return (
      values.some(
        (v) =>
          (typeof v === "string" || typeof v === "number" || typeof v === "boolean") && wanted.has(String(v)),
      ) !== negate
    );
  };
}

const RELATIVE_UNITS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Jira date values: "yyyy-MM-dd[ HH:mm]" or "yyyy/MM/dd[ HH:mm]" (UTC here), -5m / 2d relative, epoch ms, now(). */
export function parseJqlDate(value: JqlValue, now: number): number {
  if (value.kind === "function" && value.name === "now") return now;
  if (value.kind !== "literal") throw new JqlError("Error in the JQL Query: Expecting a date value.");
  const text = value.text.trim();
  const relative = /^([+-]?)(\d+)([wdhm])$/.exec(text);
  if (relative) {
    const amount = Number(relative[2]) * (RELATIVE_UNITS[relative[3] ?? "m"] ?? 60_000);
    return relative[1] === "-" ? now - amount : now + amount;
  }
  if (/^\d{10,}$/.test(text)) return Number(text);
  const absolute = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
  }
  throw new JqlError(
    `Date value '${text}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function compileDate(clause: JqlClause, field: "created" | "updated", env: JqlEnvironment): Predicate {
  const op = clause.operator;
  if (op === "~" || op === "is" || op === "is not") throw operatorNotSupported(op, field);
  const get = (issue: StoredIssue) => (field === "created" ? issue.created : issue.updated);
  const times = clause.values.map((v) => parseJqlDate(v, env.now));
  const first = times[0] ?? env.now;
  switch (op) {
    case "=":
      return (issue) => get(issue) === first;
    case "!=":
      return (issue) => get(issue) !== first;
    case ">":
      return (issue) => get(issue) > first;
    case ">=":
      return (issue) => get(issue) >= first;
    case "<":
      return (issue) => get(issue) < first;
    case "<=":
      return (issue) => get(issue) <= first;
    case "in":
      return (issue) => times.includes(get(issue));
    case "not in":
      return (issue) => !times.includes(get(issue));
  }
}

function sortKey(issue: StoredIssue, field: string): number | string {
  switch (field) {
    case "created":
      return issue.created;
    case "updated":
      return issue.updated;
    case "summary":
      return issue.summary.toLowerCase();
    case "priority":
      return Number(issue.priorityId);
    default:
      return Number(issue.id); // key and id order the same way within the sandbox
  }
}

function sortIssues(issues: StoredIssue[], orderBy: JqlQuery["orderBy"]): StoredIssue[] {
  const order = orderBy.length > 0 ? orderBy : [{ field: "id", direction: "desc" as const }];
  const tieBreak = order[0]?.direction ?? "desc";
  return [...issues].sort((a, b) => {
    for (const { field, direction } of [...order, { field: "id", direction: tieBreak }]) {
      const x = sortKey(a, field);
      const y = sortKey(b, field);
      if (x < y) return direction === "asc" ? -1 : 1;
      if (x > y) return direction === "asc" ? 1 : -1;
    }
    return 0;
  });
}
