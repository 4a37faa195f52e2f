"use server";

/**
 * The forms that carry a secret — sign in, accept an invitation, choose a new password — and their
 * neighbours (request a reset, sign out) post to these server actions. A server action form is a
 * `method="post"` form that works before (or without) the page's JavaScript, so a password never
 * lands in a URL, a request log or the browser's history; with JavaScript React submits the same
 * action in the background. Each action calls the same service as the REST route and the tRPC
 * procedure of its step, and is throttled in the same `auth` bucket per client address.
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIp } from "~/server/http/client-ip";
import { throttle } from "~/server/http/rate-limit/throttle";
import { issueSession, principalForPage, sessionCookie, SESSION_MAX_AGE_SECONDS } from "~/server/http/session";
import { signOutEverywhere, verifyCredentials, type SignedInUser } from "~/server/services/accounts/auth";
import { AppError } from "~/server/services/errors";
import { safeReturnPath } from "~/server/services/return-path";
import { acceptInvite } from "~/server/services/team/invites";
import { confirmPasswordReset, requestPasswordReset } from "~/server/services/team/password-reset";
import { acceptInviteInput, passwordResetConfirmInput, passwordResetInput } from "~/server/services/team/schemas";
import { parseInput } from "~/server/services/validation";

/** What a form shows after a submission: a message, field errors, what to keep in the fields, or done. */
export interface FormState {
  error?: string;
  fields?: Record<string, string[]>;
  /** Non-secret values to put back into the form (never a password). */
  values?: Record<string, string>;
  done?: boolean;
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

async function callerIp(): Promise<string | null> {
  return clientIp(await headers());
}

/** A domain error as the form shows it; anything else is not ours to explain and is rethrown. */
function failure(error: unknown, values?: Record<string, string>): FormState {
  if (!(error instanceof AppError)) throw error;
  if (error.extra.fields) return { fields: error.extra.fields, values };
  return { error: error.detail, values };
}

async function startSession(user: SignedInUser): Promise<void> {
  const { name, options } = sessionCookie();
  (await cookies()).set(name, await issueSession(user), { ...options, maxAge: SESSION_MAX_AGE_SECONDS });
}

export async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  const email = field(form, "email").trim();
  const values = { email };
  if (!email || !field(form, "password")) return { error: "Enter your e-mail and password.", values };
  let user: SignedInUser;
  try {
    const ip = await callerIp();
    await throttle("auth", ip);
    user = await verifyCredentials({ email, password: field(form, "password") }, { ip });
  } catch (error) {
    if (error instanceof AppError && error.kind === "unauthenticated") return { error: "E-mail or password is incorrect.", values };
    return failure(error, values);
  }
  await startSession(user);
  // Only a path on this site (safeReturnPath): the login link may come from anywhere.
  redirect(safeReturnPath(field(form, "callbackUrl")));
}

export async function signOutAction(): Promise<void> {
  const principal = await principalForPage();
  // Ends every session and token of the user on the server, not only this browser's cookie.
  if (principal) await signOutEverywhere(principal.tenantId, principal.userId, { ip: await callerIp() });
  (await cookies()).delete(sessionCookie().name);
  redirect("/login");
}

export async function acceptInviteAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { first_name: field(form, "first_name"), last_name: field(form, "last_name") };
  let user: SignedInUser;
  try {
    await throttle("auth", await callerIp());
    const input = parseInput(acceptInviteInput, { token: field(form, "token"), password: field(form, "password"), ...values });
    // A new account starts at token version 0.
    user = { ...(await acceptInvite(input)), tokenVersion: 0 };
  } catch (error) {
    return failure(error, values);
  }
  await startSession(user);
  redirect("/dashboards");
}

export async function requestResetAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { email: field(form, "email") };
  try {
    const ip = await callerIp();
    await throttle("auth", ip);
    requestPasswordReset(parseInput(passwordResetInput, values), { ip });
  } catch (error) {
    return failure(error, values);
  }
  return { done: true };
}

export async function confirmResetAction(_previous: FormState, form: FormData): Promise<FormState> {
  try {
    await throttle("auth", await callerIp());
    await confirmPasswordReset(parseInput(passwordResetConfirmInput, { token: field(form, "token"), password: field(form, "password") }));
  } catch (error) {
    return failure(error);
  }
  return { done: true };
}
