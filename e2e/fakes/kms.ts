/**
 * A fake AWS KMS speaking the real wire protocol (JSON 1.1 over HTTP POST, `X-Amz-Target:
 * TrentService.<Operation>`, blobs as base64, errors as `{"__type", "message"}` with status 400),
 * so the `aws` provider runs unchanged against it through AWS_ENDPOINT_URL_KMS.
 *
 * Like KMS it verifies the SigV4 signature of every request, knows only its configured keys
 * (by id, ARN or alias), binds every ciphertext to its encryption context (a different context
 * → InvalidCiphertextException), and names the key inside the ciphertext blob. Master keys are
 * derived from the key ARN, so ciphertexts stay valid across restarts of the fake.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeKmsOptions {
  region?: string;
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Key ids (UUIDs) that exist; the first is also reachable as `alias/adinsights`. */
  keyIds?: string[];
  /** Added to every response, like a distant region. */
  latencyMs?: number;
}

export interface FakeKms {
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  keyArn(index?: number): string;
  /** Requests served, by operation name. */
  calls: Record<string, number>;
  setLatency(ms: number): void;
  /** Called as each signed request arrives, before it is answered (tests time crashes on it). */
  onRequest: ((operation: string) => void) | undefined;
  /** Env a process needs to use this fake with KMS_PROVIDER=aws. */
  env(index?: number): Record<string, string>;
  close(): Promise<void>;
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const SEED = "adinsights-fake-kms";
const IV = 12;
const TAG = 16;

const sha256hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

function canonicalContext(context: unknown): Buffer {
  if (context !== undefined && (typeof context !== "object" || context === null || Array.isArray(context)))
    throw new KmsFault("ValidationException", "EncryptionContext must be a map of strings.");
  const entries = Object.entries((context ?? {}) as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  for (const [, v] of entries) if (typeof v !== "string") throw new KmsFault("ValidationException", "EncryptionContext values must be strings.");
  return Buffer.from(JSON.stringify(entries));
}

export async function startFakeKms(options: FakeKmsOptions = {}): Promise<FakeKms> {
  const region = options.region ?? "us-east-1";
  const account = options.accountId ?? "111122223333";
  const accessKeyId = options.accessKeyId ?? "AKIAFAKEKMS000000000";
  const secretAccessKey = options.secretAccessKey ?? "fake-kms-secret-access-key-0000000000000";
  const keyIds = options.keyIds ?? [randomUUID(), randomUUID()];
  let latency = options.latencyMs ?? 0;
  const calls: Record<string, number> = {};
  const arnOf = (id: string) => `arn:aws:kms:${region}:${account}:key/${id}`;
  const master = (id: string) => hmac(SEED, arnOf(id));

  function resolveKey(ref: unknown): string {
    if (typeof ref !== "string" || ref === "") throw new KmsFault("ValidationException", "KeyId is required.");
    let id = ref;
    const arn = /^arn:aws:kms:([^:]+):(\d{12}):(.+)$/.exec(ref);
    if (arn) {
      if (arn[1] !== region || arn[2] !== account) throw new KmsFault("NotFoundException", `Key '${ref}' does not exist`);
      id = arn[3]!;
    }
    if (id.startsWith("key/")) id = id.slice(4);
    if (id === "alias/adinsights") id = keyIds[0]!;
    if (!keyIds.includes(id)) throw new KmsFault("NotFoundException", `Key '${ref}' does not exist`);
    return id;
  }

  function seal(keyId: string, plaintext: Buffer, context: unknown): Buffer {
    const iv = randomBytes(IV);
    const cipher = createCipheriv("aes-256-gcm", master(keyId), iv).setAAD(canonicalContext(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), Buffer.from(keyId, "ascii"), iv, cipher.getAuthTag(), body]);
  }

  function open(blobB64: unknown, context: unknown, expectedKey: unknown): { keyId: string; plaintext: Buffer } {
    if (typeof blobB64 !== "string") throw new KmsFault("ValidationException", "CiphertextBlob is required.");
    const blob = Buffer.from(blobB64, "base64");
    if (blob.length < 1 + 36 + IV + TAG || blob[0] !== 1) throw new KmsFault("InvalidCiphertextException", "");
    const keyId = blob.subarray(1, 37).toString("ascii");
    if (!keyIds.includes(keyId)) throw new KmsFault("InvalidCiphertextException", "");
    if (expectedKey !== undefined && resolveKey(expectedKey) !== keyId)
      throw new KmsFault("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.");
    try {
      const decipher = createDecipheriv("aes-256-gcm", master(keyId), blob.subarray(37, 37 + IV)).setAAD(canonicalContext(context));
      decipher.setAuthTag(blob.subarray(37 + IV, 37 + IV + TAG));
      return { keyId, plaintext: Buffer.concat([decipher.update(blob.subarray(37 + IV + TAG)), decipher.final()]) };
    } catch (error) {
      if (error instanceof KmsFault) throw error;
      // Real KMS says nothing more for a wrong context or a damaged blob.
      throw new KmsFault("InvalidCiphertextException", "");
    }
  }

  const operations: Record<string, (input: Record<string, any>) => Record<string, unknown>> = {
    GenerateDataKey(input) {
      const keyId = resolveKey(input.KeyId);
      const size = input.KeySpec === "AES_256" ? 32 : input.KeySpec === "AES_128" ? 16 : Number(input.NumberOfBytes);
      if (!Number.isInteger(size) || size < 1 || size > 1024)
        throw new KmsFault("ValidationException", "Please specify either number of bytes or key spec.");
      const plaintext = randomBytes(size);
      return {
        KeyId: arnOf(keyId),
        Plaintext: plaintext.toString("base64"),
        CiphertextBlob: seal(keyId, plaintext, input.EncryptionContext).toString("base64"),
      };
    },
    Encrypt(input) {
      const keyId = resolveKey(input.KeyId);
      const plaintext = Buffer.from(String(input.Plaintext ?? ""), "base64");
      return { KeyId: arnOf(keyId), CiphertextBlob: seal(keyId, plaintext, input.EncryptionContext).toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    },
    Decrypt(input) {
      const { keyId, plaintext } = open(input.CiphertextBlob, input.EncryptionContext, input.KeyId);
      return { KeyId: arnOf(keyId), Plaintext: plaintext.toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    },
    ReEncrypt(input) {
      const source = open(input.CiphertextBlob, input.SourceEncryptionContext, input.SourceKeyId);
      const destination = resolveKey(input.DestinationKeyId);
      return {
        SourceKeyId: arnOf(source.keyId),
        KeyId: arnOf(destination),
        CiphertextBlob: seal(destination, source.plaintext, input.DestinationEncryptionContext).toString("base64"),
        SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      };
    },
    DescribeKey(input) {
      const keyId = resolveKey(input.KeyId);
      return {
        KeyMetadata: { AWSAccountId: account, KeyId: keyId, Arn: arnOf(keyId), Enabled: true, KeyState: "Enabled", KeyUsage: "ENCRYPT_DECRYPT", KeySpec: "SYMMETRIC_DEFAULT" },
      };
    },
  };

  /** SigV4, checked the way AWS does: the caller must hold the secret for the access key. */
  function verifySignature(req: IncomingMessage, body: Buffer): void {
    const auth = req.headers.authorization ?? "";
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/kms\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new KmsFault("MissingAuthenticationTokenException", "Missing Authentication Token");
    const [, akid, date, scopeRegion, signedHeaders, signature] = m as unknown as string[];
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    if (!amzDate.startsWith(date!)) throw new KmsFault("IncompleteSignatureException", "X-Amz-Date is missing or does not match the credential scope.");
    if (akid !== accessKeyId) throw new KmsFault("UnrecognizedClientException", "The security token included in the request is invalid.");
    if (scopeRegion !== region) throw new KmsFault("InvalidSignatureException", `Credential should be scoped to a valid region, not '${scopeRegion}'.`);
    const names = signedHeaders!.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) throw new KmsFault("IncompleteSignatureException", "Host and X-Amz-Date must be signed.");
    const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
    const [path = "/", query = ""] = (req.url ?? "/").split("?");
    const canonicalRequest = [req.method, path, query, canonicalHeaders, signedHeaders, sha256hex(body)].join("\n");
    const scope = `${date}/${scopeRegion}/kms/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256hex(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date!), scopeRegion!), "kms"), "aws4_request");
    if (createHmac("sha256", key).update(stringToSign).digest("hex") !== signature)
      throw new KmsFault("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
      res.end(JSON.stringify(payload));
    };
    try {
      if (req.method !== "POST") throw new KmsFault("UnknownOperationException", "");
      if (!String(req.headers["content-type"] ?? "").startsWith("application/x-amz-json-1.1"))
        throw new KmsFault("SerializationException", "Content-Type must be application/x-amz-json-1.1");
      verifySignature(req, body);
      const target = String(req.headers["x-amz-target"] ?? "");
      const name = target.startsWith("TrentService.") ? target.slice("TrentService.".length) : "";
      fake.onRequest?.(name);
      if (latency) await new Promise((r) => setTimeout(r, latency));
      const op = operations[name];
      if (!op) throw new KmsFault("UnknownOperationException", "");
      let input: Record<string, any>;
      try {
        input = JSON.parse(body.toString("utf8") || "{}");
      } catch {
        throw new KmsFault("SerializationException", "Malformed JSON.");
      }
      calls[name] = (calls[name] ?? 0) + 1;
      send(200, op(input));
    } catch (error) {
      if (error instanceof KmsFault) send(400, { __type: error.type, message: error.message });
      else send(500, { __type: "KMSInternalException", message: "Internal error." });
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keyArn = (index = 0) => arnOf(keyIds[index]!);
  const fake: FakeKms = {
    url,
    region,
    accessKeyId,
    secretAccessKey,
    keyArn,
    calls,
    setLatency: (ms) => void (latency = ms),
    onRequest: undefined,
    env: (index = 0) => ({
      KMS_PROVIDER: "aws",
      KMS_KEY_ID: keyArn(index),
      AWS_REGION: region,
      AWS_ENDPOINT_URL_KMS: url,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
