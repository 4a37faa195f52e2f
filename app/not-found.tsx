import Link from "next/link";
import styles from "./ui/form.module.css";

export const metadata = { title: "Page not found · ADinsights" };

/** Our own 404 page: Next's default one carries an inline <style> the page CSP (proxy.ts) refuses. */
export default function NotFound() {
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="not-found-title">
        <h1 id="not-found-title" className={styles.title}>
          Page not found
        </h1>
        <p className={styles.lead}>There is nothing at this address.</p>
        <p className={styles.links}>
          <Link href="/dashboards">Go to your dashboards</Link>
        </p>
      </section>
    </main>
  );
}
