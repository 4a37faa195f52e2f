import { describe, expect, it } from "vitest";
import { parseEnv } from "../../env";
import { awsKmsProblem } from "./key-id";

const ARN_BASE = "arn:aws:kms:us-east-1:123456789012";
const UUID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";
const NOT_A_KEY = { variable: "KMS_KEY_ID", message: "is an ARN whose key part is not a KMS key id (a UUID, or mrk- and 32 hex digits)" };
const PLACEHOLDER_ALIAS = { variable: "KMS_KEY_ID", message: "names a placeholder alias" };

describe("KMS key ids that cannot be real", () => {
  it("accepts real key ids, multi-Region keys and aliases, bare or in an ARN", () => {
    for (const id of [UUID, MRK, `${ARN_BASE}:key/${UUID}`, `${ARN_BASE}:key/${MRK}`, "alias/adinsights", `${ARN_BASE}:alias/adinsights`, `arn:aws-cn:kms:us-east-1:123456789012:key/${UUID}`])
      expect(awsKmsProblem(id, "us-east-1"), id).toBeNull();
  });

  it("refuses an ARN whose key part is neither a UUID nor mrk- plus 32 hex digits", () => {
    for (const key of ["replace-me", "1234", "mrk-1234", `${UUID}0`, "mrk-1234abcd12ab34cd56ef1234567890zz", "my-key"])
      expect(awsKmsProblem(`${ARN_BASE}:key/${key}`, "us-east-1"), key).toEqual(NOT_A_KEY);
  });

  it("refuses a placeholder alias, bare or in an ARN", () => {
    for (const alias of ["replace-me", "changeme", "replace_with_yours", "my-placeholder"]) {
      expect(awsKmsProblem(`alias/${alias}`, "us-east-1"), alias).toEqual(PLACEHOLDER_ALIAS);
      expect(awsKmsProblem(`${ARN_BASE}:alias/${alias}`, "us-east-1"), alias).toEqual(PLACEHOLDER_ALIAS);
    }
  });

  it("is reported before a missing region, so the line names the key", () => {
    expect(awsKmsProblem(`${ARN_BASE}:key/replace-me`, undefined)).toEqual(NOT_A_KEY);
  });

  it("stops env validation with one error naming KMS_KEY_ID, never its value", () => {
    const bad = `${ARN_BASE}:key/replace-me`;
    const parse = () => parseEnv({ KMS_PROVIDER: "aws", KMS_KEY_ID: bad, AWS_REGION: "us-east-1" });
    expect(parse).toThrow(`Invalid environment: KMS_KEY_ID ${NOT_A_KEY.message}`);
    expect(() => parse()).not.toThrow(/replace-me/);
  });
});
