"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavItem = {
  href: string;
  label: string;
  /** Who sees it: everyone by default; staff are owners, admins and agents (customers use the support center). */
  audience?: "staff" | "admins";
};

export function NavLinks({ items, horizontal = false }: { items: NavItem[]; horizontal?: boolean }) {
  // Never null under the App Router; typed nullable because the tRPC endpoint is a Pages API route.
  const pathname = usePathname() ?? "";
  return (
    <ul className={horizontal ? "flex gap-1 overflow-x-auto" : "space-y-1"}>
      {items.map((item) => {
        const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={current ? "page" : undefined}
              className={`block rounded-lg px-3 py-2 text-sm font-medium ${
                current
                  ? "bg-brand-50 text-brand-800"
                  : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
              }`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
