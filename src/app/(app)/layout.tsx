import Link from "next/link";
import { redirect } from "next/navigation";
import { Toaster } from "sonner";

import { Logo } from "~/components/logo";
import { NavLinks, type NavItem } from "~/components/nav-links";
import { UserMenu } from "~/components/user-menu";
import { auth } from "~/server/auth";
import { TRPCReactProvider } from "~/trpc/react";

export const dynamic = "force-dynamic";

const NAV: NavItem[] = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/integrations", label: "Integrations", audience: "admins" },
  { href: "/tickets", label: "Tickets", audience: "staff" },
  { href: "/support", label: "Support" },
  { href: "/reports", label: "Reports", audience: "staff" },
  { href: "/admin", label: "Admin", audience: "staff" },
];
const AUDIENCES = { staff: new Set(["OWNER", "ADMIN", "AGENT"]), admins: new Set(["OWNER", "ADMIN"]) };

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await auth();
  if (!session?.user) redirect("/");
  const nav = NAV.filter((item) => !item.audience || AUDIENCES[item.audience].has(session.role ?? ""));

  return (
    <TRPCReactProvider>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <div className="flex min-h-screen">
        <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white px-4 py-5 md:block">
          <Link href="/dashboard" className="block px-2 text-slate-900">
            <Logo />
          </Link>
          <nav aria-label="Main" className="mt-8">
            <NavLinks items={nav} />
          </nav>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex items-center justify-between border-b border-slate-200 bg-white px-6 py-3">
            <Link href="/dashboard" className="md:hidden">
              <Logo />
            </Link>
            <div className="ml-auto">
              <UserMenu session={session} />
            </div>
          </header>
          <nav aria-label="Main" className="border-b border-slate-200 bg-white px-4 py-2 md:hidden">
            <NavLinks items={nav} horizontal />
          </nav>
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">
            {children}
          </main>
        </div>
      </div>
      <Toaster richColors closeButton position="bottom-right" />
    </TRPCReactProvider>
  );
}
