import "~/app/globals.css";

import type { Metadata } from "next";

export const metadata: Metadata = {
  title: { default: "TicketBridge", template: "%s · TicketBridge" },
  description: "Create, link and sync the Jira tickets your work produces.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
