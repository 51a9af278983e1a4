import type { Session } from "next-auth";

import { ROLE_LABELS } from "~/lib/domain";
import { signOut } from "~/server/auth";

export function UserMenu({ session }: { session: Session }) {
  const { user, organization, role } = session;
  const initials = (user.name ?? user.email ?? "?")
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <details className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-3 rounded-lg px-2 py-1.5 hover:bg-slate-100"
        aria-label={`Account menu for ${user.name ?? user.email}`}
      >
        <span
          aria-hidden="true"
          className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white"
        >
          {initials}
        </span>
        <span className="hidden text-left sm:block">
          <span className="block text-sm font-medium text-slate-900" data-testid="user-name">
            {user.name ?? user.email}
          </span>
          <span className="block text-xs text-slate-600">
            <span data-testid="organization-name">{organization?.name ?? "No organization"}</span>
            {role && (
              <>
                {" · "}
                <span data-testid="user-role">{ROLE_LABELS[role]}</span>
              </>
            )}
          </span>
        </span>
      </summary>
      <div className="absolute right-0 z-10 mt-2 w-64 rounded-xl border border-slate-200 bg-white p-3 shadow-lg">
        <p className="text-sm font-medium text-slate-900">{user.name}</p>
        <p className="truncate text-sm text-slate-600">{user.email}</p>
        <form
          className="mt-3 border-t border-slate-100 pt-3"
          action={async () => {
            "use server";
            await signOut({ redirectTo: "/" });
          }}
        >
          <button
            type="submit"
            className="w-full rounded-lg px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-100"
          >
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
