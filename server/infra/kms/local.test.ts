import { describe, expect, it } from "vitest";
import { awsKmsProblem } from "./key-id";
import { createLocalKms } from "./local";

const T1 = "11111111-1111-4111-8111-111111111111";
const T2 = "22222222-2222-4222-8222-222222222222";

describe("local KMS", () => {
  it("is refused in production", () => {
    expect(() => createLocalKms({ nodeEnv: "production" })).toThrow(/refused when NODE_ENV=production/);
  });

  it("wraps per tenant; another tenant or master key cannot unwrap", async () => {
    const kms = createLocalKms({ nodeEnv: "development" });
    const dk = await kms.generateDataKey(T1);
    expect(dk.plaintext).toHaveLength(32);
    expect(await kms.decryptDataKey(T1, dk.wrapped, dk.keyId)).toEqual(dk.plaintext);
    await expect(kms.decryptDataKey(T2, dk.wrapped, dk.keyId)).rejects.toThrow(/could not be unwrapped/);
    const other = createLocalKms({ nodeEnv: "development", masterKey: Buffer.alloc(32, 7).toString("base64") });
    expect(other.currentKeyId()).not.toBe(kms.currentKeyId());
    await expect(other.decryptDataKey(T1, dk.wrapped, dk.keyId)).rejects.toThrow(/another local master key/);
    const moved = await other.rewrapDataKey(T1, dk.wrapped, kms.currentKeyId()).catch((e: Error) => e);
    expect(moved).toBeInstanceOf(Error);
  });

  it("rejects a master key that is not 32 bytes", () => {
    expect(() => createLocalKms({ nodeEnv: "development", masterKey: "c2hvcnQ=" })).toThrow(/32 bytes/);
  });
});

describe("aws KMS settings", () => {
  const arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  it("names the variable that is wrong", () => {
    expect(awsKmsProblem(undefined, "us-east-1")?.variable).toBe("KMS_KEY_ID");
    expect(awsKmsProblem("not a key", "us-east-1")?.variable).toBe("KMS_KEY_ID");
    expect(awsKmsProblem(arn, undefined)?.variable).toBe("AWS_REGION");
    expect(awsKmsProblem(arn, "eu-west-1")).toEqual({ variable: "KMS_KEY_ID", message: "is an ARN in region us-east-1 but AWS_REGION is eu-west-1" });
    expect(awsKmsProblem(arn, "us-east-1")).toBeNull();
    expect(awsKmsProblem("1234abcd-12ab-34cd-56ef-1234567890ab", "eu-west-1")).toBeNull();
    expect(awsKmsProblem("alias/adinsights", "eu-west-1")).toBeNull();
  });
});
