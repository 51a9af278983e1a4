import "server-only";

import {
  ProviderError,
  Rejected,
  Unavailable,
  type CreatedExternalIssue,
  type ExternalAttachment,
  type ExternalAttachmentInput,
  type ExternalComment,
  type ExternalIssueSnapshot,
  type NormalizedTicket,
  type StatusTarget,
} from "../types";
import type { JiraConnection } from "./client";
import { fieldErrorsOf, jiraMessages } from "./errors";
import {
  attachmentListSchema,
  browseUrl,
  bulkCreatedSchema,
  commentSchema,
  markedCommentsSchema,
  createdIssueSchema,
  issueAttachmentsSchema,
  issueSchema,
  MARKER_PROPERTY,
  markerLabel,
  parseResponse,
  richText,
  searchResultsSchema,
  toIssueInput,
  toSnapshot,
  transitionsSchema,
} from "./mapping";
import type { IssueInput, JiraRest } from "./rest";
import type { JiraSettings } from "./schemas";

/** Jira's limit for POST /issue/bulk. */
const BULK_LIMIT = 50;
/** Who may read an internal comment. */
const INTERNAL_VISIBILITY = { type: "role", value: "Administrators" } as const;

type BulkResult = { ok: true; issue: CreatedExternalIssue } | { ok: false; error: ProviderError };

export function jiraIssues(rest: JiraRest, connection: JiraConnection, settings: JiraSettings) {
  const { version, siteUrl } = connection;
  const inputOf = (ticket: NormalizedTicket) =>
    toIssueInput(ticket, {
      projectKey: settings.config.projectKey,
      defaultIssueType: settings.config.defaultIssueType,
      version,
    });
  const created = (response: unknown): CreatedExternalIssue => {
    const issue = parseResponse(createdIssueSchema, response, "the issue creation");
    return { id: issue.id, key: issue.key, url: browseUrl(siteUrl, issue.key), response };
  };

  async function createIssue(ticket: NormalizedTicket): Promise<CreatedExternalIssue> {
    return created(await rest.createIssue(inputOf(ticket)));
  }

  async function createIssues(tickets: NormalizedTicket[]): Promise<BulkResult[]> {
    const results: BulkResult[] = [];
    for (let start = 0; start < tickets.length; start += BULK_LIMIT) {
      // A ticket whose own input is invalid (e.g. its marker) fails alone; the others are sent.
      const prepared = tickets.slice(start, start + BULK_LIMIT).map(prepare);
      const inputs = prepared.flatMap((entry) => ("input" in entry ? [entry.input] : []));
      let outcomes: BulkResult[] = [];
      if (inputs.length > 0) {
        let body: unknown;
        try {
          body = await rest.createIssues(inputs);
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          // Rate limit, outage, bad credentials: this chunk and the rest share the failure.
          results.push(...tickets.slice(start).map(() => ({ ok: false as const, error })));
          return results;
        }
        outcomes = bulkOutcome(body, inputs.length);
      }
      for (const entry of prepared) {
        results.push("error" in entry ? { ok: false, error: entry.error } : (outcomes.shift() as BulkResult));
      }
    }
    return results;
  }

  function prepare(ticket: NormalizedTicket): { input: IssueInput } | { error: ProviderError } {
    try {
      return { input: inputOf(ticket) };
    } catch (error) {
      if (error instanceof ProviderError) return { error };
      throw error;
    }
  }

  /** Matches Jira's per-element report back to the input order. */
  function bulkOutcome(body: unknown, count: number): BulkResult[] {
    const report = parseResponse(bulkCreatedSchema, body, "the bulk creation");
    const failures = new Map(report.errors.map((failure) => [failure.failedElementNumber, failure]));
    const createdIssues = [...report.issues]; // in input order, failed elements left out
    return Array.from({ length: count }, (_, index): BulkResult => {
      const failure = failures.get(index);
      if (failure) {
        const said = jiraMessages(failure.elementErrors);
        return {
          ok: false,
          error: new Rejected(
            `Jira rejected this issue${said ? `: ${said}` : "."}`,
            fieldErrorsOf(failure.elementErrors),
            {
              ...(failure.status ? { status: failure.status } : {}),
            },
          ),
        };
      }
      const issue = createdIssues.shift();
      if (!issue)
        return {
          ok: false,
          error: new Unavailable(
            "Jira did not report a result for this issue; look it up by its marker before retrying.",
          ),
        };
      return { ok: true, issue: created(issue) };
    });
  }

  async function findByMarker(marker: string): Promise<CreatedExternalIssue | null> {
    // Oldest first: if an earlier attempt left a duplicate, the first issue is the one to keep.
    const jql = `labels = "${markerLabel(marker)}" ORDER BY created ASC`;
    const { issues } = parseResponse(
      searchResultsSchema,
      await rest.search(jql, ["summary", "created"], 1),
      "the search",
    );
    const found = issues[0];
    if (!found) return null;
    const response = { id: found.id, key: found.key, ...(found.self ? { self: found.self } : {}) };
    return { id: found.id, key: found.key, url: browseUrl(siteUrl, found.key), response };
  }

  async function getIssue(idOrKey: string): Promise<ExternalIssueSnapshot> {
    const raw = await rest.issue(idOrKey);
    return toSnapshot(parseResponse(issueSchema, raw, "the issue request"), raw, siteUrl);
  }

  async function transition(idOrKey: string, target: string | StatusTarget): Promise<{ status: string }> {
    const { names, category } =
      typeof target === "string" ? { names: [target], category: undefined } : target;
    const wanted = names.map((name) => name.trim().toLowerCase());
    const { transitions } = parseResponse(
      transitionsSchema,
      await rest.transitions(idOrKey),
      "the transition list",
    );
    const byName = (candidate: (typeof transitions)[number]) =>
      wanted.includes(candidate.to?.name.toLowerCase() ?? "") ||
      wanted.includes(candidate.name.toLowerCase());
    const match =
      transitions.find(byName) ??
      (category
        ? transitions.find((candidate) => candidate.to?.statusCategory?.key === category)
        : undefined);
    if (match) {
      await rest.doTransition(idOrKey, match.id);
      return { status: match.to?.name ?? match.name };
    }
    const current = parseResponse(issueSchema, await rest.issue(idOrKey, ["status"]), "the issue request")
      .fields?.status;
    if (current && (wanted.includes(current.name.toLowerCase()) || current.statusCategory?.key === category))
      return { status: current.name }; // already there
    const available = [...new Set(transitions.map((candidate) => candidate.to?.name ?? candidate.name))];
    throw new Rejected(
      `Jira has no transition from “${current?.name ?? "unknown"}” to “${names.join(" / ")}” for ${idOrKey}. ${available.length > 0 ? `Available: ${available.join(", ")}.` : "This account cannot transition it."}`,
      { status: `No transition to “${names.join(" / ")}”.` },
    );
  }

  async function assign(idOrKey: string, accountId: string | null): Promise<void> {
    await rest.assign(idOrKey, accountId);
  }

  async function addComment(
    idOrKey: string,
    body: string,
    options?: { internal?: boolean; marker?: string },
  ): Promise<ExternalComment> {
    if (body.trim() === "") throw new Rejected("A comment needs some text.", { comment: "Write a comment." });
    const raw = await rest.addComment(idOrKey, {
      body: richText(body, version),
      ...(options?.internal ? { visibility: INTERNAL_VISIBILITY } : {}),
      ...(options?.marker
        ? { properties: [{ key: MARKER_PROPERTY, value: { marker: options.marker } }] }
        : {}),
    });
    return { id: parseResponse(commentSchema, raw, "the new comment").id, raw };
  }

  /** A comment an earlier attempt added (its answer lost), among the issue's newest 100. */
  async function findCommentByMarker(idOrKey: string, marker: string): Promise<ExternalComment | null> {
    const raw = await rest.recentComments(idOrKey);
    const { comments } = parseResponse(markedCommentsSchema, raw, "the issue's comments");
    const found = comments.find((comment) =>
      comment.properties?.some(
        (property) => property.key === MARKER_PROPERTY && property.value?.marker === marker,
      ),
    );
    return found ? { id: found.id, raw: found } : null;
  }

  async function addAttachment(idOrKey: string, file: ExternalAttachmentInput): Promise<ExternalAttachment> {
    const raw = await rest.addAttachment(idOrKey, file);
    const [attachment] = parseResponse(attachmentListSchema, raw, "the attachment upload");
    if (!attachment) throw new Unavailable("Jira accepted the attachment but did not describe it.");
    return { id: attachment.id, filename: attachment.filename, size: attachment.size ?? null, raw };
  }

  async function listAttachments(idOrKey: string): Promise<ExternalAttachment[]> {
    const raw = await rest.issue(idOrKey, ["attachment"]);
    const attachments = parseResponse(issueAttachmentsSchema, raw, "the issue request").fields?.attachment;
    return (attachments ?? []).map((attachment) => ({
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size ?? null,
      raw: attachment,
    }));
  }

  return {
    createIssue,
    createIssues,
    findByMarker,
    getIssue,
    transition,
    assign,
    addComment,
    findCommentByMarker,
    addAttachment,
    listAttachments,
  };
}
