import type pg from "pg";

/**
 * Seeds a dedicated benchmark organization with `count` tickets in one INSERT … SELECT
 * generate_series: titles and descriptions composed from word lists (so full-text search has a
 * realistic vocabulary, with common and rare words), statuses, priorities, types and reporters
 * spread, timestamps over a year, about a third linked to an external issue, some stale.
 * Reused when it already holds that many tickets.
 */
export async function seedDashboardOrganization(client: pg.Client, count: number) {
  const slug = `bench-dashboard-${count}`;
  const existing = await client.query<{ id: string; tickets: number }>(
    `SELECT o.id, (SELECT count(*)::int FROM "Ticket" t WHERE t."organizationId" = o.id) AS tickets
     FROM "Organization" o WHERE o.slug = $1`,
    [slug],
  );
  const found = existing.rows[0];
  if (found && found.tickets === count)
    return { organizationId: found.id, ...(await agentOf(client, found.id)) };
  if (found) await client.query(`DELETE FROM "Organization" WHERE id = $1`, [found.id]);

  const organizationId = `bench_dash_${count}`;
  await client.query("BEGIN");
  await client.query(
    `INSERT INTO "Organization" (id, name, slug, "ticketSequence", "updatedAt") VALUES ($1, 'Dashboard benchmark', $2, $3, now())`,
    [organizationId, slug, count],
  );
  // 5 agents and 200 customers.
  await client.query(
    `INSERT INTO "User" (id, name, email, "updatedAt")
     SELECT $1 || '_u' || g, CASE WHEN g <= 5 THEN 'Agent ' || g ELSE 'Customer ' || g END,
            $1 || '_u' || g || '@bench.test', now()
     FROM generate_series(1, 205) g
     ON CONFLICT DO NOTHING`,
    [organizationId],
  );
  await client.query(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role)
     SELECT $1 || '_m' || g, $1, $1 || '_u' || g, CASE WHEN g = 1 THEN 'OWNER' WHEN g <= 5 THEN 'AGENT' ELSE 'CUSTOMER' END::"Role"
     FROM generate_series(1, 205) g`,
    [organizationId],
  );
  await client.query(
    `INSERT INTO "Integration" (id, "organizationId", provider, "authMethod", name, "baseUrl", deployment, config, "credentialsSealed", settings, status, "updatedAt")
     VALUES ($1 || '_jira', $1, 'jira', 'cloud_api_token', 'Bench Jira', 'https://bench.invalid', 'CLOUD', '{}', 'x', '{}', 'ACTIVE', now())`,
    [organizationId],
  );
  await client.query(
    `WITH words AS (
       SELECT array['Checkout','Login','Payment','Search','Dashboard','Export','Invoice','Profile','Upload','Notification',
                    'Calendar','Report','Password reset','Shopping cart','Settings page','Sign-up form','Mobile app','API','Webhook','Billing']
                AS component,
              array['crashes','fails','is slow','shows an error','freezes','times out','loses data','returns 500',
                    'looks broken','does nothing','logs me out','duplicates items','hangs','rejects valid input']
                AS problem,
              array['on iOS','on Android','in Chrome','in Firefox','in Safari','after the update','for new users',
                    'on large accounts','at month end','with two-factor login','behind the proxy','in dark mode']
                AS context,
              array['Steps: open the page, fill in the form and press save.','It started yesterday after the release.',
                    'Several customers reported the same thing this morning.','The console shows a TypeError in main.js.',
                    'We need this for our quarterly audit.','Please add an option to export as CSV.',
                    'The spinner keeps turning and nothing happens.','Refunds are processed twice for some orders.',
                    'Our team cannot work until this is fixed.','It would help to filter by region and date.',
                    'The email arrives hours late or not at all.','Memory usage grows until the tab is killed.',
                    'Screenshots attached; the layout overlaps the footer.','The timezone is wrong for users in Sydney.',
                    'Would love a keyboard shortcut for this.','Accessibility: the button has no label for screen readers.']
                AS sentence,
              array['kubernetes','latency','localization','pagination','encryption','throttling','onboarding',
                    'deduplication','reconciliation','sso','gdpr','webhooks','analytics','offline']
                AS rare
     ), base AS (
       SELECT g, abs(hashtext(g::text)) AS h, abs(hashtext('p' || g)) AS h2, abs(hashtext('s' || g)) AS h3,
              now() - interval '365 days' * (1 - g::float / $2::int) AS created
       FROM generate_series(1, $2::int) g
     ), shaped AS (
       SELECT base.*,
              (array['BUG','BUG','BUG','FEATURE','FEATURE','SUPPORT','SUPPORT','SUPPORT','SUPPORT','SUPPORT'])[1 + h % 10] AS type,
              (array['low','low','low','medium','medium','medium','medium','high','high','critical'])[1 + h2 % 10] AS priority,
              -- Older tickets are mostly done; the last weeks are mostly open.
              CASE WHEN g > $2::int * 0.95 THEN (array['OPEN','OPEN','IN_PROGRESS','RESOLVED'])[1 + h3 % 4]
                   ELSE (array['OPEN','IN_PROGRESS','RESOLVED','RESOLVED','RESOLVED','CLOSED','CLOSED','CLOSED','CLOSED','CLOSED'])[1 + h3 % 10] END AS status
       FROM base
     )
     INSERT INTO "Ticket" (id, "organizationId", number, title, description, type, category, priority, status, source,
                           "reporterId", "assigneeId", "firstResponseAt", "resolvedAt", "staleSince", "createdAt", "updatedAt")
     SELECT $1 || '_t' || g, $1, g,
            w.component[1 + h % 20] || ' ' || w.problem[1 + (h / 20) % 14] || ' ' || w.context[1 + (h / 280) % 12],
            w.sentence[1 + h2 % 16] || ' ' || w.sentence[1 + (h2 / 16) % 16] || ' ' || w.sentence[1 + (h3 / 7) % 16] ||
              CASE WHEN h % 7 = 0 THEN ' Related to ' || w.rare[1 + (h / 7) % 14] || '.' ELSE '' END ||
              ' Reference ' || md5(g::text) || '.',
            type::"TicketType",
            CASE type WHEN 'BUG' THEN 'bug' WHEN 'FEATURE' THEN 'feature_request' ELSE (array['billing','general'])[1 + h % 2] END,
            priority, status::"TicketStatus", (CASE WHEN h % 3 = 0 THEN 'FORM' ELSE 'PORTAL' END)::"TicketSource",
            $1 || '_u' || (6 + h2 % 200), CASE WHEN h % 4 = 0 THEN NULL ELSE $1 || '_u' || (1 + h % 5) END,
            CASE WHEN h3 % 10 < 8 THEN created + make_interval(mins => 5 + (h % 2880)) END,
            CASE WHEN status IN ('RESOLVED','CLOSED') THEN created + make_interval(hours => 1 + (h2 % 400)) END,
            CASE WHEN status IN ('OPEN','IN_PROGRESS') AND h % 9 = 0 THEN now() - make_interval(hours => h % 48) END,
            created, created + make_interval(hours => h3 % 72)
     FROM shaped, words w`,
    [organizationId, count],
  );
  await client.query(
    `INSERT INTO "ExternalIssue" (id, "organizationId", "integrationId", "ticketId", "externalId", "externalKey", url, "syncState", "createdAt", "updatedAt")
     SELECT t.id || '_x', t."organizationId", $1 || '_jira', t.id, t.number::text, 'BENCH-' || t.number,
            'https://bench.invalid/browse/BENCH-' || t.number,
            (CASE WHEN t.number % 50 = 0 THEN 'FAILED' ELSE 'CREATED' END)::"SyncState", t."createdAt", t."createdAt"
     FROM "Ticket" t WHERE t."organizationId" = $1 AND t.number % 3 = 0`,
    [organizationId],
  );
  await client.query("COMMIT");
  await client.query(`ANALYZE "Ticket"; ANALYZE "ExternalIssue"; ANALYZE "User"; ANALYZE "Membership"`);
  return { organizationId, ...(await agentOf(client, organizationId)) };
}

async function agentOf(client: pg.Client, organizationId: string) {
  const { rows } = await client.query<{ userId: string }>(
    `SELECT "userId" FROM "Membership" WHERE "organizationId" = $1 AND role = 'OWNER' LIMIT 1`,
    [organizationId],
  );
  const customer = await client.query<{ userId: string }>(
    `SELECT "userId" FROM "Membership" WHERE "organizationId" = $1 AND role = 'CUSTOMER' ORDER BY "userId" LIMIT 1`,
    [organizationId],
  );
  return { ownerId: rows[0]!.userId, customerId: customer.rows[0]!.userId };
}
