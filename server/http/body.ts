/** Reads a JSON request body the way DRF's JSONParser does (the size limit is the transport's, see message.ts). */
import { AppError } from "../services/errors";
import type { ApiRequest } from "./message";

/** The parsed body; `{}` when there is none. 415 for a non-JSON type, 400 for malformed JSON, 413 when too big. */
export async function readJson(req: ApiRequest): Promise<unknown> {
  const text = await req.readBody();
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
