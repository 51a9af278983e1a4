/**
 * HTML for the emulated auth.atlassian.com consent screen. Plain form, no JavaScript, so
 * Playwright and screen readers see ordinary labelled controls.
 */
import { escapeHtml } from "./http";
import type { DemoSite, DemoUser } from "./fixtures";

export interface ConsentPageModel {
  appName: string;
  /** Hidden fields echoed back on submit (client_id, redirect_uri, scope, state, ...). */
  hidden: Record<string, string>;
  scopes: string[];
  users: readonly DemoUser[];
  sites: readonly DemoSite[];
  selectedAccountId?: string;
  selectedCloudIds?: string[];
  error?: string;
}

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  "read:jira-work": "View Jira issue data",
  "write:jira-work": "Create and manage issues",
  "read:jira-user": "View user profiles",
  "manage:jira-webhook": "Manage Jira webhooks",
  "manage:jira-project": "Manage project settings",
  "manage:jira-configuration": "Manage Jira global settings",
  "read:me": "View your profile (name, email, picture)",
  "read:account": "View account details",
  offline_access: "Stay connected when you are not using the app (refresh tokens)",
};

const STYLE = `
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #172b4d; }
  h1 { font-size: 1.4rem; }
  fieldset { border: 1px solid #dfe1e6; border-radius: 4px; margin: 1rem 0; padding: 0.75rem 1rem; }
  legend { font-weight: 600; padding: 0 0.25rem; }
  label { display: block; margin: 0.4rem 0; }
  .hint { color: #5e6c84; font-size: 0.875rem; }
  .error { background: #ffebe6; border: 1px solid #de350b; padding: 0.5rem 1rem; border-radius: 4px; }
  .actions { display: flex; gap: 0.75rem; }
  button { font-size: 1rem; padding: 0.5rem 1.25rem; border-radius: 3px; border: 1px solid #0052cc; cursor: pointer; }
  button[value="accept"] { background: #0052cc; color: white; }
  button[value="deny"] { background: white; color: #0052cc; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function renderConsentPage(model: ConsentPageModel): string {
  const title = `Authorize ${model.appName} to access your Atlassian account`;
  const selectedUser = model.selectedAccountId ?? model.users[0]?.accountId;
  const selectedSites = new Set(model.selectedCloudIds ?? []);
  const hidden = Object.entries(model.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const scopes = model.scopes
    .map(
      (scope) =>
        `<li><code>${escapeHtml(scope)}</code>${SCOPE_DESCRIPTIONS[scope] ? ` — ${escapeHtml(SCOPE_DESCRIPTIONS[scope])}` : ""}</li>`,
    )
    .join("\n");
  const users = model.users
    .map((user) => {
      const id = `account-${user.handle}`;
      const checked = user.accountId === selectedUser ? " checked" : "";
      return `<label for="${id}"><input type="radio" id="${id}" name="account_id" value="${escapeHtml(user.accountId)}"${checked} required> ${escapeHtml(user.displayName)} (${escapeHtml(user.email)})</label>`;
    })
    .join("\n");
  const sites = model.sites
    .map((site) => {
      const id = `site-${site.name}`;
      const checked = selectedSites.has(site.cloudId) ? " checked" : "";
      const members = model.users.filter((u) => u.siteNames.includes(site.name)).map((u) => u.displayName);
      return `<label for="${id}"><input type="checkbox" id="${id}" name="site" value="${escapeHtml(site.cloudId)}"${checked} aria-describedby="${id}-hint"> ${escapeHtml(site.name)}</label>
<div class="hint" id="${id}-hint">Accessible to: ${escapeHtml(members.join(", "))}</div>`;
    })
    .join("\n");
  const error = model.error ? `<div class="error" role="alert">${escapeHtml(model.error)}</div>` : "";

  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="hint">Atlassian sandbox — a local stand-in for auth.atlassian.com. No real accounts are involved.</p>
${error}
<form method="post" action="/authorize">
${hidden}
<section aria-labelledby="scopes-heading">
<h2 id="scopes-heading">${escapeHtml(model.appName)} is requesting access to:</h2>
<ul>
${scopes}
</ul>
</section>
<fieldset>
<legend>Sign in as</legend>
${users}
</fieldset>
<fieldset>
<legend>Use app on</legend>
<p class="hint">Leave every box unchecked to grant all sites the chosen account can access.</p>
${sites}
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="accept">Accept</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

export function renderErrorPage(message: string): string {
  return page(
    "Something went wrong",
    `<h1>Something went wrong</h1>
<div class="error" role="alert"><p>${escapeHtml(message)}</p></div>
<p class="hint">Atlassian sandbox — the authorization request is invalid, so you were not sent back to the app.</p>`,
  );
}
