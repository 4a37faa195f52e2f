import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { BROWSER_ADMIN } from "./global-setup";
import { linkFromMail, memberWithRole, screenshots, signIn, uniqueEmail } from "./support";

test.use({ baseURL: process.env.E2E_BASE_URL });

const REQUESTED = "If an account exists for that address, we have sent it a link to reset the password.";

test("password reset end to end: request from the sign-in page, link from the e-mail, new password, sign in", async ({ page }) => {
  const member = await memberWithRole("VIEWER", "forgetful");
  await page.goto("/login");
  await screenshots(page, "login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/reset-password$/);
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await screenshots(page, "reset-request");

  // Invalid input gets the REST contract's message.
  await page.getByLabel("E-mail").fill("not-an-address");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Enter a valid email address.");

  await page.getByLabel("E-mail").fill(member.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText(REQUESTED);
  await screenshots(page, "reset-requested");

  // An unknown address gets exactly the same answer.
  await page.goto("/reset-password");
  await page.getByLabel("E-mail").fill(uniqueEmail("nobody"));
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText(REQUESTED);

  const link = await linkFromMail(member.email, "/reset-password");
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await screenshots(page, "reset-confirm");
  await page.getByRole("textbox", { name: "New password" }).fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("This password is too short. It must contain at least 8 characters.");
  await screenshots(page, "reset-confirm-error");

  const newPassword = "a-brand-new-passphrase";
  await page.getByRole("textbox", { name: "New password" }).fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed.");
  await screenshots(page, "reset-done");

  // The link worked once.
  await page.goto(link);
  await page.getByRole("textbox", { name: "New password" }).fill("another-new-passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Invalid or expired password reset token.");
  await expect(page.getByRole("main").getByRole("alert").getByRole("link", { name: "Request a new link." })).toBeVisible();
  await screenshots(page, "reset-confirm-used");

  await page.goto("/login");
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toBeVisible();
  await signIn(page, member.email, newPassword);
});

test("an expired invitation link says so and shows nothing about the invitation", async ({ page }) => {
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const { access } = await (
      await fetch(`${process.env.E2E_BASE_URL}/api/token/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(BROWSER_ADMIN),
      })
    ).json();
    const invitee = uniqueEmail("late");
    const res = await fetch(`${process.env.E2E_BASE_URL}/api/users/invite/`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${access}` },
      body: JSON.stringify({ email: invitee }),
    });
    expect(res.status).toBe(201);
    const link = await linkFromMail(invitee, "/accept-invite");
    await sql`update invitations set expires_at = now() - interval '1 minute' where email = ${invitee}`;

    await page.goto(link);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invitation has expired.");
    await expect(page.getByText("Ask an administrator of your agency to send you a new invitation.")).toBeVisible();
    await expect(page.getByText(invitee)).toHaveCount(0);
    await expect(page.getByLabel("Password")).toHaveCount(0);
    await screenshots(page, "accept-invite-expired");
  } finally {
    await sql.end();
  }
});
