import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { principalForPage } from "~/server/edge/session";
import { RETURN_TO_HEADER, safeReturnPath } from "~/server/services/return-path";
import { SignOutButton } from "../ui/sign-out-button";
import styles from "../ui/shell.module.css";

// Every dashboard page needs a signed-in user; the session is checked on each request.
export const dynamic = "force-dynamic";

export default async function DashboardsLayout({ children }: { children: ReactNode }) {
  const principal = await principalForPage();
  // Back to the requested page after signing in (set by proxy.ts), OAuth callback query included.
  if (!principal) redirect(`/login?callbackUrl=${encodeURIComponent(safeReturnPath((await headers()).get(RETURN_TO_HEADER)))}`);
  return (
    <>
      <header className={styles.header}>
        <Link href="/dashboards" className={styles.brand}>
          ADinsights
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <Link href="/dashboards">Overview</Link>
          <Link href="/dashboards/data-sources">Data sources</Link>
          <Link href="/dashboards/team">Team</Link>
          <Link href="/dashboards/settings">Settings</Link>
        </nav>
        <div className={styles.nav}>
          <span className={styles.who}>{principal.user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main className={styles.main}>{children}</main>
    </>
  );
}
