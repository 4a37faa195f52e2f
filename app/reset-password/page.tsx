import styles from "../ui/form.module.css";
import { ChooseNewPassword } from "./choose-new-password";
import { RequestReset } from "./request-reset";

export const metadata = { title: "Reset password · ADinsights" };

/** Without a token: ask for the e-mail. With the token from the e-mail: choose the new password. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" && params.token ? params.token : null;
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="reset-title">
        <h1 id="reset-title" className={styles.title}>
          {token ? "Choose a new password" : "Reset your password"}
        </h1>
        {token ? <ChooseNewPassword token={token} /> : <RequestReset />}
      </section>
    </main>
  );
}
