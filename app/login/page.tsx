import Link from "next/link";
import styles from "../ui/form.module.css";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in · ADinsights" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? params.callbackUrl : null;
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="login-title">
        <h1 id="login-title" className={styles.title}>
          Sign in to ADinsights
        </h1>
        <LoginForm callbackUrl={callbackUrl} />
        <p className={styles.links}>
          <Link href="/reset-password">Forgot your password?</Link>
        </p>
      </section>
    </main>
  );
}
