import { redirect } from "next/navigation";

import { Logo } from "~/components/logo";
import { auth, signIn } from "~/server/auth";

export const dynamic = "force-dynamic";

const SIGN_IN_ERRORS: Record<string, string> = {
  AccessDenied: "Access was denied on the Atlassian consent page. Sign in again and choose Accept.",
  OAuthCallbackError: "Atlassian did not complete the sign-in. Please try again.",
  Configuration:
    "Sign-in is not configured correctly on this server. Ask your administrator to check the Atlassian OAuth settings.",
};

export default async function HomePage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await auth();
  if (session?.user) redirect("/dashboard");
  const { error } = await searchParams;
  const errorMessage = error ? (SIGN_IN_ERRORS[error] ?? "Sign-in failed. Please try again.") : null;

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
        <Logo className="text-xl text-slate-900" />
        <h1 className="mt-6 text-2xl font-semibold">Sign in to TicketBridge</h1>
        <p className="mt-2 text-slate-600">
          Create, link and keep in sync the Jira tickets your team&apos;s work produces. Sign in with the
          Atlassian account you use for Jira.
        </p>
        {errorMessage && (
          <p
            role="alert"
            className="mt-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
          >
            {errorMessage}
          </p>
        )}
        <form
          className="mt-6"
          action={async () => {
            "use server";
            await signIn("atlassian", { redirectTo: "/dashboard" });
          }}
        >
          <button
            type="submit"
            className="w-full rounded-lg bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700"
          >
            Sign in with Atlassian
          </button>
        </form>
        <p className="mt-4 text-xs text-slate-500">
          On first sign-in you get a personal organization, where you are the owner.
        </p>
      </div>
    </main>
  );
}
