import { describe, expect, it } from "vitest";
import { safeReturnPath, sameSitePath } from "./return-path";

describe("same-site return paths", () => {
  it.each([
    ["/dashboards", "/dashboards"],
    ["/dashboards/data-sources?code=4%2Fabc&state=xyz", "/dashboards/data-sources?code=4%2Fabc&state=xyz"],
    ["/dashboards/team#invites", "/dashboards/team#invites"],
    ["/a/../dashboards", "/dashboards"],
  ])("accepts %s as %s", (value, normalised) => expect(sameSitePath(value)).toBe(normalised));

  it.each([
    "//127.0.0.1:3990/pwned",
    "/\t/127.0.0.1:3990/pwned",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "\\/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/\t\\evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    " /dashboards",
    "/dash\u0000boards",
    "/%E0%A4%A",
    "",
  ])("refuses %j", (value) => {
    expect(sameSitePath(value)).toBeNull();
    expect(safeReturnPath(value)).toBe("/dashboards");
  });

  it("falls back when there is no value", () => {
    expect(safeReturnPath(null)).toBe("/dashboards");
    expect(safeReturnPath(undefined, "/login")).toBe("/login");
  });
});
