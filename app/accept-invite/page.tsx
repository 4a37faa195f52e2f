import styles from "../ui/form.module.css";
import { AcceptInvite } from "./accept-invite";

export const metadata = { title: "Accept invitation · ADinsights" };

export default async function AcceptInvitePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" && params.token ? params.token : null;
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="accept-title">
        <h1 id="accept-title" className={styles.title}>
          Join your team on ADinsights
        </h1>
        <AcceptInvite token={token} />
      </section>
    </main>
  );
}
