/**
 * `/browse/KEY` (and `/site/{name}/browse/KEY`, `/dc/{name}/browse/KEY`): the issue page Jira
 * links point at, so the app's "DEMO-12" links open something real in development.
 */
import { adfPlainText } from "./adf";
import { page } from "./consent-page";
import { DEFAULT_SITE_NAME, DEMO_ISSUE_TYPES, DEMO_PRIORITIES, DEMO_STATUSES } from "./fixtures";
import { escapeHtml } from "./http";
import type { SandboxState, StoredAttachment } from "./state";

const BROWSE_PATH = /^(?:\/(?:site|dc)\/([^/]+))?\/browse\/([A-Z][A-Z0-9_]*-\d+)$/;

export function matchBrowsePath(pathname: string): { siteName: string; key: string } | null {
  const match = BROWSE_PATH.exec(pathname);
  return match ? { siteName: decodeURIComponent(match[1] ?? DEFAULT_SITE_NAME), key: match[2] ?? "" } : null;
}

export function renderBrowsePage(state: SandboxState, siteName: string, key: string): string | null {
  const site = [...state.sites.values()].find((candidate) => candidate.site.name === siteName);
  const issue = site?.issues.find((candidate) => candidate.key === key);
  if (!site || !issue) return null;
  const name = <T extends { id: string; name: string }>(list: readonly T[], id: string) =>
    list.find((entry) => entry.id === id)?.name ?? id;
  const facts: [string, string][] = [
    ["Type", name(Object.values(DEMO_ISSUE_TYPES), issue.issueTypeId)],
    ["Status", name(DEMO_STATUSES, issue.statusId)],
    ["Priority", name(DEMO_PRIORITIES, issue.priorityId)],
    ["Labels", issue.labels.join(", ") || "none"],
    ["Created", new Date(issue.created).toISOString()],
  ];
  return page(
    `${issue.key}: ${issue.summary}`,
    `<p>${escapeHtml(site.site.name)} · Jira sandbox</p>
<h1>${escapeHtml(issue.key)}: ${escapeHtml(issue.summary)}</h1>
<dl>${facts.map(([term, value]) => `<dt>${term}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>
<h2>Description</h2>
<pre style="white-space: pre-wrap">${escapeHtml(issue.description ? adfPlainText(issue.description) : "")}</pre>${attachmentsSection(site.site.path, issue.attachments ?? [])}`,
  );
}

/** Attachments as links to their content (images as thumbnails), served by the site's REST API. */
function attachmentsSection(sitePath: string, attachments: StoredAttachment[]): string {
  if (attachments.length === 0) return "";
  const items = attachments.map((attachment) => {
    const href = escapeHtml(`${sitePath}/rest/api/3/attachment/content/${encodeURIComponent(attachment.id)}`);
    const name = escapeHtml(attachment.filename);
    const preview = attachment.mimeType.startsWith("image/")
      ? `<img src="${href}" alt="${name}" style="max-width: 12rem; max-height: 8rem; display: block">`
      : "";
    return `<li><a href="${href}">${preview}${name}</a> (${attachment.size} bytes)</li>`;
  });
  return `\n<h2>Attachments</h2>\n<ul>${items.join("")}</ul>`;
}
