import Link from "next/link";

import { PageHeader } from "~/components/empty-state";
import { auth } from "~/server/auth";

export const metadata = { title: "Dashboard" };

const NEXT_STEPS = [
  {
    href: "/integrations",
    title: "Connect Jira",
    text: "Connect a Jira Cloud site or a Jira Server / Data Center instance, test it and activate it.",
  },
  {
    href: "/tickets",
    title: "Create a ticket",
    text: "File a ticket once; TicketBridge stores it and creates the linked Jira issue.",
  },
  {
    href: "/support",
    title: "Open the support center",
    text: "Customers report bugs, request features and follow their tickets.",
  },
];

export default async function DashboardPage() {
  const session = await auth();
  return (
    <>
      <PageHeader
        title={`Welcome${session?.user.name ? `, ${session.user.name.split(" ")[0]}` : ""}`}
        description={`You are working in ${session?.organization?.name ?? "your organization"}.`}
      />
      <section aria-labelledby="next-steps">
        <h2 id="next-steps" className="text-lg font-semibold">
          Get started
        </h2>
        <ol className="mt-4 grid gap-4 md:grid-cols-3">
          {NEXT_STEPS.map((step, index) => (
            <li key={step.href}>
              <Link
                href={step.href}
                className="block h-full rounded-2xl border border-slate-200 bg-white p-5 hover:border-brand-600"
              >
                <span className="text-sm font-medium text-brand-700">Step {index + 1}</span>
                <span className="mt-1 block font-semibold text-slate-900">{step.title}</span>
                <span className="mt-1 block text-sm text-slate-600">{step.text}</span>
              </Link>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
