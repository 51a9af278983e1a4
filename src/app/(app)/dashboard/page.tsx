import Link from "next/link";

import { PageHeader } from "~/components/empty-state";
import { STATUS_EXPLANATIONS, statusLabel } from "~/components/integrations/labels";
import { ExternalKeyLink } from "~/components/tickets/external-key-link";
import { labelOf, TICKET_STATUS_LABELS } from "~/components/tickets/labels";
import { SyncStateBadge } from "~/components/tickets/sync-state-badge";
import { ButtonLink } from "~/components/ui/button";
import type { IntegrationStatusName } from "~/lib/domain";
import { auth } from "~/server/auth";
import { getQueryClient, trpc } from "~/trpc/server";
import type { RouterOutputs } from "~/trpc/react";

export const metadata = { title: "Dashboard" };

type StaffSummary = Extract<RouterOutputs["organization"]["dashboard"], { audience: "staff" }>;

const card = "rounded-2xl border border-slate-200 bg-white p-5";

export default async function DashboardPage() {
  const session = await auth();
  const summary = await getQueryClient().fetchQuery(trpc.organization.dashboard.queryOptions());
  const admin = session?.role === "OWNER" || session?.role === "ADMIN";
  return (
    <>
      <PageHeader
        title={`Welcome${session?.user.name ? `, ${session.user.name.split(" ")[0]}` : ""}`}
        description={`You are working in ${session?.organization?.name ?? "your organization"}.`}
      />
      {summary.audience === "customer" ? (
        <section aria-labelledby="my-requests" className={card}>
          <h2 id="my-requests" className="font-semibold text-slate-900">
            Your requests
          </h2>
          <p className="mt-1 text-slate-700" data-testid="my-open-requests">
            {summary.myTickets.total === 0
              ? "You have not sent any requests yet."
              : `${summary.myTickets.open} open of ${summary.myTickets.total}.`}
          </p>
          <ButtonLink href="/support" className="mt-4">
            Report a bug, request a feature or ask for help
          </ButtonLink>
        </section>
      ) : (
        <div className="space-y-6">
          <GetStarted steps={summary.steps} />
          <NeedsAttention attention={summary.attention} connected={summary.steps.connected} admin={admin} />
          <LatestTickets tickets={summary.recent} />
        </div>
      )}
    </>
  );
}

function GetStarted({ steps }: { steps: StaffSummary["steps"] }) {
  const list = [
    {
      href: "/integrations",
      title: "Connect Jira",
      text: "Connect a Jira Cloud site or a Jira Server / Data Center instance, test it and activate it.",
      done: steps.connected,
    },
    {
      href: "/tickets/new",
      title: "Create a ticket",
      text: "File a ticket once; TicketBridge stores it and creates the linked Jira issue.",
      done: steps.filed,
    },
    {
      href: "/support",
      title: "Open the support center",
      text: "Customers report bugs, request features and follow their tickets.",
      done: steps.supportUsed,
    },
  ];
  if (list.every((step) => step.done)) return null;
  return (
    <section aria-labelledby="next-steps">
      <h2 id="next-steps" className="text-lg font-semibold">
        Get started
      </h2>
      <ol className="mt-4 grid gap-4 md:grid-cols-3">
        {list.map((step, index) => (
          <li key={step.href} data-testid="get-started-step" data-done={step.done}>
            <Link
              href={step.href}
              className={`block h-full rounded-2xl border p-5 hover:border-brand-600 ${
                step.done ? "border-emerald-200 bg-emerald-50/40" : "border-slate-200 bg-white"
              }`}
            >
              <span className={`text-sm font-medium ${step.done ? "text-emerald-800" : "text-brand-700"}`}>
                {step.done ? "✓ Done" : `Step ${index + 1}`}
              </span>
              <span className="mt-1 block font-semibold text-slate-900">{step.title}</span>
              <span className="mt-1 block text-sm text-slate-600">{step.text}</span>
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
}

function NeedsAttention({
  attention,
  connected,
  admin,
}: {
  attention: StaffSummary["attention"];
  connected: boolean;
  admin: boolean;
}) {
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const items = [
    attention.failedIssues > 0 && (
      <li key="failed">
        {plural(attention.failedIssues, "ticket's external issue", "tickets' external issues")} could not be
        created.{" "}
        <Link
          href="/tickets?syncState=FAILED"
          className="font-medium text-brand-700 underline underline-offset-2"
        >
          Review and retry
        </Link>
      </li>
    ),
    attention.retryingIssues > 0 && (
      <li key="retrying">
        {plural(attention.retryingIssues, "external issue has", "external issues have")} failed for now;
        TicketBridge is retrying.{" "}
        <Link
          href="/tickets?syncState=PENDING"
          className="font-medium text-brand-700 underline underline-offset-2"
        >
          Show them
        </Link>
      </li>
    ),
    ...attention.integrations.map((integration) => (
      <li key={integration.id}>
        {admin ? (
          <Link
            href={`/integrations/${integration.id}`}
            className="font-medium text-brand-700 underline underline-offset-2"
          >
            {integration.name}
          </Link>
        ) : (
          <span className="font-medium">{integration.name}</span>
        )}
        : {statusLabel(integration.status)}.{" "}
        {integration.statusReason ?? STATUS_EXPLANATIONS[integration.status as IntegrationStatusName]}
        {!admin && " An admin can fix it under Integrations."}
      </li>
    )),
  ].filter(Boolean);
  if (!connected && items.length === 0) return null;
  return (
    <section aria-labelledby="attention" className={card} data-testid="needs-attention">
      <h2 id="attention" className="font-semibold text-slate-900">
        Needs attention
      </h2>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-emerald-800">
          ✓ All clear: every external issue has been created and every integration works.
        </p>
      ) : (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">{items}</ul>
      )}
    </section>
  );
}

function LatestTickets({ tickets }: { tickets: StaffSummary["recent"] }) {
  return (
    <section aria-labelledby="latest" className={card}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="latest" className="font-semibold text-slate-900">
          Latest tickets
        </h2>
        <div className="flex gap-2">
          <ButtonLink href="/tickets" variant="secondary">
            All tickets
          </ButtonLink>
          <ButtonLink href="/tickets/new">New ticket</ButtonLink>
        </div>
      </div>
      {tickets.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No tickets yet.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {tickets.map((ticket) => (
            <li
              key={ticket.id}
              className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2"
              data-testid="latest-ticket"
            >
              <span className="font-mono text-slate-600">#{ticket.number}</span>
              <Link
                href={`/tickets/${ticket.id}`}
                className="min-w-0 flex-1 break-words font-medium text-brand-700 underline-offset-2 hover:underline"
              >
                {ticket.title}
              </Link>
              <span className="text-slate-700">{labelOf(TICKET_STATUS_LABELS, ticket.status)}</span>
              {ticket.externalIssues.length === 0 ? (
                <span className="text-slate-600">Internal only</span>
              ) : (
                ticket.externalIssues.map((link) => (
                  <span key={link.id} className="inline-flex items-center gap-2">
                    {link.externalKey && (
                      <ExternalKeyLink
                        issueKey={link.externalKey}
                        url={link.url}
                        integrationName={link.integration.name}
                      />
                    )}
                    <SyncStateBadge state={link.syncState} errorMessage={link.lastError} />
                  </span>
                ))
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
