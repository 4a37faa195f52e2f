import { headers } from "next/headers";
import Link from "next/link";
import { clientIp } from "~/server/http/client-ip";
import { throttle } from "~/server/http/rate-limit/throttle";
import { AppError } from "~/server/services/errors";
import { previewInvite, type InvitePreview } from "~/server/services/team/invites";
import styles from "../ui/form.module.css";
import { AcceptForm } from "./accept-invite";

export const metadata = { title: "Accept invitation · ADinsights" };

const ASK_AGAIN = "Ask an administrator of your agency to send you a new invitation.";

/**
 * The invitation behind the e-mail's link, looked up here on the server: the token goes from this
 * page's URL straight to the service and is never sent back out in another request's URL (a tRPC
 * query would put it in `?input=`, and so in request logs). Then the form that creates the account.
 */
export default async function AcceptInvitePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" && params.token ? params.token : null;
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="accept-title">
        <h1 id="accept-title" className={styles.title}>
          Join your team on ADinsights
        </h1>
        {token ? <Invitation token={token} /> : <Problem message="This invitation link is incomplete: it has no token. Open the link from your invitation e-mail again." />}
      </section>
    </main>
  );
}

async function Invitation({ token }: { token: string }) {
  let preview: InvitePreview;
  try {
    // The same public bucket as the tRPC preview: guessing tokens through this page is throttled too.
    await throttle("public", clientIp(await headers()));
    preview = await previewInvite(token);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return <Problem message={error.extra.fields ? Object.values(error.extra.fields).flat().join(" ") : error.detail} />;
  }
  return <AcceptForm token={token} email={preview.email} tenantName={preview.tenant_name} role={preview.role} />;
}

function Problem({ message }: { message: string }) {
  return (
    <>
      <p role="alert" className={styles.error}>
        {message}
      </p>
      <p className={styles.hint}>{ASK_AGAIN}</p>
      <p className={styles.links}>
        <Link href="/login">Go to sign-in</Link>
      </p>
    </>
  );
}
