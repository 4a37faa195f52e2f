/** Reads a JSON request body the way DRF's JSONParser does, with a size limit. */
import { AppError } from "../services/errors";

export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = () => new AppError("payload_too_large", "Request body is too large.");

/** The body as text, at most MAX_BODY_BYTES (413 beyond, also when Content-Length announces more). */
export async function readLimited(req: Request): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** The parsed body; `{}` when there is none. 415 for a non-JSON type, 400 for malformed JSON, 413 when too big. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await readLimited(req);
  if (text.trim() === "") return {};
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("unsupported_media_type", `Unsupported media type "${type || "none"}" in request.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.split("\n")[0]!.slice(0, 120) : "invalid JSON";
    throw new AppError("validation", `JSON parse error - ${reason}`, { code: "parse_error" });
  }
}
