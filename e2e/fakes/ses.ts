/**
 * A small SESv2 stand-in speaking the real HTTP API the AWS SDK uses:
 * `POST /v2/email/outbound-emails` (JSON body, SigV4 `Authorization` header required) answering
 * `{"MessageId"}` or AWS-style errors (`x-amzn-ErrorType` header + `{"message"}` body).
 *
 * Like a sandboxed SES account, it sends only from verified domains (MessageRejected otherwise).
 * Test controls live under `/_fake/`: read captured messages, and make sends to one recipient
 * fail a number of times (to exercise retries).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface CapturedEmail {
  message_id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  configuration_set: string | null;
  signed_by: string;
  received_at: string;
}

export interface SesFake {
  url: string;
  messages: CapturedEmail[];
  close(): Promise<void>;
}

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[a-z0-9-]+\/(ses|email)\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/;

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const headers: Record<string, string> = { "content-type": "application/json", "x-amzn-requestid": randomUUID() };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  res.writeHead(status, headers).end(JSON.stringify(body));
}
const awsError = (res: ServerResponse, status: number, type: string, message: string) => send(res, status, { message }, type);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startSesFake(options: { verifiedDomains: string[]; port?: number }): Promise<SesFake> {
  const messages: CapturedEmail[] = [];
  const failures = new Map<string, { remaining: number; status: number }>();
  const verified = new Set(options.verifiedDomains.map((d) => d.toLowerCase()));

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    try {
      if (req.method === "POST" && url.pathname === "/v2/email/outbound-emails") return await sendEmail(req, res);
      if (req.method === "GET" && url.pathname === "/_fake/messages") {
        const to = url.searchParams.get("to")?.toLowerCase();
        return send(res, 200, to ? messages.filter((m) => m.to.some((t) => t.toLowerCase() === to)) : messages);
      }
      if (req.method === "POST" && url.pathname === "/_fake/fail") {
        const body = JSON.parse(await readBody(req)) as { recipient: string; count: number; status?: number };
        failures.set(body.recipient.toLowerCase(), { remaining: body.count, status: body.status ?? 500 });
        return send(res, 200, { ok: true });
      }
      awsError(res, 404, "UnknownOperationException", "Unknown operation");
    } catch (error) {
      awsError(res, 500, "InternalFailure", String(error));
    }
  });

  async function sendEmail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization ?? "";
    if (!auth) return awsError(res, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    const signer = SIGV4.exec(auth);
    if (!signer || !req.headers["x-amz-date"])
      return awsError(res, 403, "IncompleteSignatureException", "Authorization header requires a valid SigV4 signature.");
    let body: any;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return awsError(res, 400, "BadRequestException", "Could not parse request body into json");
    }
    const from: unknown = body?.FromEmailAddress;
    const to: unknown = body?.Destination?.ToAddresses;
    const simple = body?.Content?.Simple;
    if (typeof from !== "string" || !from.includes("@"))
      return awsError(res, 400, "BadRequestException", "Missing required parameter FromEmailAddress");
    if (!Array.isArray(to) || to.length === 0 || !to.every((t) => typeof t === "string"))
      return awsError(res, 400, "BadRequestException", "Destination must contain at least one recipient");
    if (!simple?.Subject?.Data || !(simple?.Body?.Text?.Data || simple?.Body?.Html?.Data))
      return awsError(res, 400, "BadRequestException", "Content.Simple needs a Subject and a Body");
    const domain = from.slice(from.lastIndexOf("@") + 1).toLowerCase();
    if (!verified.has(domain))
      return awsError(res, 400, "MessageRejected", `Email address is not verified. The following identities failed the check: ${from}`);
    const failure = failures.get(String(to[0]).toLowerCase());
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      return failure.status === 429
        ? awsError(res, 429, "TooManyRequestsException", "Too many requests")
        : awsError(res, failure.status, "InternalFailure", "The request processing has failed because of an unknown error.");
    }
    const messageId = `0100${randomUUID().replace(/-/g, "")}-000000`;
    messages.push({
      message_id: messageId,
      from,
      to: to as string[],
      subject: simple.Subject.Data,
      text: simple.Body.Text?.Data ?? "",
      html: simple.Body.Html?.Data ?? "",
      configuration_set: body.ConfigurationSetName ?? null,
      signed_by: signer[1]!,
      received_at: new Date().toISOString(),
    });
    send(res, 200, { MessageId: messageId });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
