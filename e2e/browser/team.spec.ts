import { expect, test, type Page } from "@playwright/test";
import { BROWSER_ADMIN } from "./global-setup";
import { linkFromMail, memberWithRole, PASSWORD, screenshots, signIn, uniqueEmail } from "./support";

test.use({ baseURL: process.env.E2E_BASE_URL });

const membersSection = (page: Page) => page.getByRole("region", { name: "Members" });
const memberRow = (page: Page, text: string) => membersSection(page).getByRole("row").filter({ hasText: text });

test("the team page shows skeleton rows while loading and a readable error when the server is unreachable", async ({ page }) => {
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  // Hold the list requests so the loading state can be seen, then let them through.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/trpc/**", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/dashboards/team");
  await expect(membersSection(page)).toHaveAttribute("aria-busy", "true");
  const loadingBox = await membersSection(page).boundingBox();
  await screenshots(page, "team-loading");
  release();
  await expect(memberRow(page, BROWSER_ADMIN.email)).toBeVisible();
  await page.unroute("**/api/trpc/**");
  // The skeleton reserved the room the loaded rows take: the section does not shrink or jump.
  const loadedBox = await membersSection(page).boundingBox();
  expect(loadedBox!.y).toBe(loadingBox!.y);
  expect(Math.abs(loadedBox!.height - loadingBox!.height)).toBeLessThan(60);

  await page.route("**/api/trpc/**", (route) => route.abort("connectionrefused"));
  await page.reload();
  await expect(membersSection(page).getByRole("alert")).toContainText("Could not load the members: Could not reach the server");
  await expect(membersSection(page).getByRole("button", { name: "Try again" })).toBeVisible();
  await screenshots(page, "team-error");
});

test("an invite sent from the team page is accepted in a second browser, which signs the new member in", async ({ page, browser }) => {
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" }).click();
  await expect(page).toHaveURL(/\/dashboards\/team$/);
  await expect(memberRow(page, BROWSER_ADMIN.email)).toBeVisible();
  await screenshots(page, "team-admin");

  const invitee = uniqueEmail("invitee");
  const invites = page.getByRole("region", { name: "Invitations" });
  await invites.getByLabel("E-mail address").fill(invitee);
  await invites.getByLabel("Role").selectOption("ANALYST");
  await invites.getByRole("button", { name: "Send invitation", exact: true }).click();
  await expect(invites.getByRole("status")).toHaveText(`Invitation sent to ${invitee} as Analyst.`);
  const row = invites.getByRole("row").filter({ hasText: invitee });
  await expect(row).toContainText("Analyst");
  await screenshots(page, "team-invite-sent");

  // Resending mails a fresh link; the first one stops working.
  const firstLink = await linkFromMail(invitee, "/accept-invite", 1);
  await row.getByRole("button", { name: `Resend invitation to ${invitee}` }).click();
  await expect(invites.getByRole("status")).toContainText(`A new invitation link was sent to ${invitee}`);
  const link = await linkFromMail(invitee, "/accept-invite", 2);
  expect(link).not.toBe(firstLink);

  const invitedContext = await browser.newContext();
  const invited = await invitedContext.newPage();
  await invited.goto(firstLink);
  await expect(invited.getByRole("main").getByRole("alert")).toHaveText("Invalid invitation token.");

  await invited.goto(link);
  await expect(invited.getByText(`Browser Test Agency invited ${invitee} as analyst.`)).toBeVisible();
  await screenshots(invited, "accept-invite");
  await invited.getByLabel("First name").fill("Nia");
  await invited.getByLabel("Last name").fill("Newcomer");
  await invited.getByLabel("Password").fill("12345678");
  await invited.getByRole("button", { name: "Create account and sign in" }).click();
  await expect(invited.getByRole("main").getByRole("alert")).toHaveText("This password is entirely numeric.");
  await screenshots(invited, "accept-invite-error");
  await invited.getByLabel("Password").fill(PASSWORD);
  await invited.getByRole("button", { name: "Create account and sign in" }).click();
  await expect(invited).toHaveURL(/\/dashboards$/);
  await expect(invited.getByRole("heading", { name: "Welcome, Nia Newcomer" })).toBeVisible();
  await expect(invited.getByText("ANALYST", { exact: true })).toBeVisible();

  // A used link says so, without showing the invitation again.
  await invited.goto(link);
  await expect(invited.getByRole("main").getByRole("alert")).toHaveText("Invitation has already been accepted.");
  await expect(invited.getByText(invitee)).toHaveCount(0);
  await screenshots(invited, "accept-invite-used");
  await invitedContext.close();

  await page.reload();
  await expect(memberRow(page, invitee)).toContainText("Nia Newcomer");
  await expect(memberRow(page, invitee)).toContainText("Analyst");
  await expect(invites.getByRole("row").filter({ hasText: invitee })).toHaveCount(0);
});

test("an admin withdraws a pending invite after confirming, and its link stops working", async ({ page }) => {
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.goto("/dashboards/team");
  const invites = page.getByRole("region", { name: "Invitations" });
  const invitee = uniqueEmail("withdrawn");
  await invites.getByLabel("E-mail address").fill(invitee);
  await invites.getByRole("button", { name: "Send invitation", exact: true }).click();
  const row = invites.getByRole("row").filter({ hasText: invitee });
  await expect(row).toContainText("Viewer");
  const link = await linkFromMail(invitee, "/accept-invite");

  await row.getByRole("button", { name: `Revoke invitation to ${invitee}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this invitation?" });
  await expect(dialog).toBeVisible();
  await screenshots(page, "team-confirm-revoke-invite");
  await dialog.getByRole("button", { name: "Revoke invitation" }).click();
  await expect(invites.getByRole("status")).toHaveText(`The invitation to ${invitee} was withdrawn.`);
  await expect(row).toHaveCount(0);

  await page.goto(link);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invalid invitation token.");
  await screenshots(page, "accept-invite-invalid");
  await page.goto("/accept-invite");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This invitation link is incomplete");
});

test("an admin assigns and revokes roles from the page; the last administrator cannot be removed", async ({ page }) => {
  const member = await memberWithRole("VIEWER", "rolechange");
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.goto("/dashboards/team");
  const row = memberRow(page, member.email);
  await expect(row.getByRole("list", { name: /Roles of/ })).toHaveText("Viewer×");

  await row.getByLabel(/Role to add for/).selectOption("ANALYST");
  await row.getByRole("button", { name: /Add role to/ }).click();
  await expect(membersSection(page).getByRole("status")).toHaveText("rolechange Tester is now Analyst.");
  await expect(row.getByRole("listitem")).toHaveText(["Analyst×", "Viewer×"]);

  // The confirmation opens with the safe choice focused; Escape cancels.
  await row.getByRole("button", { name: "Remove Viewer role from rolechange Tester" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove the Viewer role?" });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await screenshots(page, "team-confirm-revoke-role");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("listitem")).toHaveCount(2);

  await row.getByRole("button", { name: "Remove Viewer role from rolechange Tester" }).click();
  await dialog.getByRole("button", { name: "Remove role" }).click();
  await expect(membersSection(page).getByRole("status")).toHaveText("rolechange Tester is no longer Viewer.");
  await expect(row.getByRole("listitem")).toHaveText(["Analyst×"]);

  // The admin is the tenant's only ADMIN: removing that role is refused with the rule's message.
  const own = memberRow(page, BROWSER_ADMIN.email);
  await own.getByRole("button", { name: /Remove Admin role from/ }).click();
  await page.getByRole("dialog", { name: "Remove the Admin role?" }).getByRole("button", { name: "Remove role" }).click();
  await expect(membersSection(page).getByRole("alert")).toHaveText("A tenant must keep at least one administrator.");
  await expect(own.getByRole("listitem")).toContainText(["Admin"]);
  await screenshots(page, "team-last-admin-error");

  // Reload: the changes were stored.
  await page.reload();
  await expect(memberRow(page, member.email).getByRole("listitem")).toHaveText(["Analyst×"]);
});

test("a VIEWER sees the member list but no action that changes anything", async ({ page }) => {
  const viewer = await memberWithRole("VIEWER", "viewer");
  await signIn(page, viewer.email, viewer.password);
  await page.goto("/dashboards/team");
  await expect(page.getByText("Only administrators can invite people or change roles.")).toBeVisible();
  await expect(memberRow(page, viewer.email)).toContainText("Viewer");
  await expect(memberRow(page, BROWSER_ADMIN.email)).toContainText("Admin");
  await expect(page.getByRole("region", { name: "Invitations" })).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("textbox")).toHaveCount(0);
  await screenshots(page, "team-viewer");

  // The server refuses regardless of what the page shows.
  const status = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/invites.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "sneaky@example.test", role: "ADMIN" }),
    });
    return res.status;
  });
  expect(status).toBe(403);
});
