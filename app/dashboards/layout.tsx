import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { principalForPage } from "~/server/http/session";
import { SignOutButton } from "../ui/sign-out-button";
import styles from "../ui/shell.module.css";

// Every dashboard page needs a signed-in user; the session is checked on each request.
export const dynamic = "force-dynamic";

export default async function DashboardsLayout({ children }: { children: ReactNode }) {
  const principal = await principalForPage();
  if (!principal) redirect("/login?callbackUrl=/dashboards");
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
