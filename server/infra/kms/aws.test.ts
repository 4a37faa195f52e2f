/** The aws provider through the real AWS SDK against the fake KMS (reached via AWS_ENDPOINT_URL_KMS). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeKms, type FakeKms } from "../../../e2e/fakes/kms";
import { createAwsKms } from "./aws";

const T1 = "11111111-1111-4111-8111-111111111111";
const T2 = "22222222-2222-4222-8222-222222222222";
let fake: FakeKms;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeKms({ keyIds: ["0f0f0f0f-1111-4222-8333-444455556666", "1f1f1f1f-1111-4222-8333-444455556666"] });
  // The SDK's own per-service endpoint variable and credential chain, as in production.
  Object.assign(process.env, fake.env());
});
afterAll(async () => {
  process.env = saved;
  await fake.close();
});

describe("aws KMS provider", () => {
  it("GenerateDataKey / Decrypt round trip, bound to the tenant's encryption context", async () => {
    const kms = createAwsKms({ keyId: fake.keyArn(), region: fake.region });
    const dk = await kms.generateDataKey(T1);
    expect(dk.keyId).toBe(fake.keyArn());
    expect(dk.plaintext).toHaveLength(32);
    expect(await kms.decryptDataKey(T1, dk.wrapped, dk.keyId)).toEqual(dk.plaintext);
    await expect(kms.decryptDataKey(T2, dk.wrapped, dk.keyId)).rejects.toMatchObject({ code: "InvalidCiphertextException" });
    await expect(kms.decryptDataKey(T1, dk.wrapped, fake.keyArn(1))).rejects.toMatchObject({ code: "IncorrectKeyException" });
    const tampered = Buffer.from(dk.wrapped);
    tampered[tampered.length - 1]! ^= 1;
    await expect(kms.decryptDataKey(T1, tampered, dk.keyId)).rejects.toMatchObject({ code: "InvalidCiphertextException" });
  });

  it("ReEncrypt moves a data key to another master key without changing it", async () => {
    const oldKms = createAwsKms({ keyId: fake.keyArn(0), region: fake.region });
    const newKms = createAwsKms({ keyId: fake.keyArn(1), region: fake.region });
    const dk = await oldKms.generateDataKey(T1);
    const before = fake.calls.ReEncrypt ?? 0;
    const moved = await newKms.rewrapDataKey(T1, dk.wrapped, dk.keyId);
    expect(fake.calls.ReEncrypt).toBe(before + 1);
    expect(moved.keyId).toBe(fake.keyArn(1));
    expect(await newKms.decryptDataKey(T1, moved.wrapped, moved.keyId)).toEqual(dk.plaintext);
  });

  it("an unknown key and a wrong secret are refused like AWS does", async () => {
    const unknown = createAwsKms({ keyId: "arn:aws:kms:us-east-1:111122223333:key/99999999-1111-4222-8333-444455556666", region: fake.region });
    await expect(unknown.generateDataKey(T1)).rejects.toMatchObject({ code: "NotFoundException" });
    const secret = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = "not-the-secret";
    try {
      const forged = createAwsKms({ keyId: fake.keyArn(), region: fake.region });
      await expect(forged.generateDataKey(T1)).rejects.toMatchObject({ code: "InvalidSignatureException" });
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = secret;
    }
  });

  it("the fake speaks the KMS JSON protocol: unsigned requests and unknown targets get AWS error JSON", async () => {
    const res = await fetch(fake.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.GenerateDataKey" },
      body: JSON.stringify({ KeyId: fake.keyArn(), KeySpec: "AES_256" }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await res.json()).toEqual({ __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
  });
});
