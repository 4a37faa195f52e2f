/**
 * Structured JSON logs, one object per line on stdout (errors on stderr).
 *
 * Anything that looks like a secret is redacted by key name before it is written, so a careless
 * `log.info({ body })` cannot leak a password or token.
 */
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const SECRET_KEY =
  /pass(word)?|secret|token|authorization|cookie|^code$|^state$|api[_-]?key|private|credential|signature|session|^otp$|refresh|access|^sig$|^key$|^jwt$|assertion|nonce|verifier/i;

export const REDACTED = "[redacted]";

/** True for a field or query-parameter name whose value must never be written to a log. */
export const isSecretKey = (name: string) => SECRET_KEY.test(name);

/** Deep copy with secret-looking keys replaced; safe for any object a caller passes in. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info") as Level | "silent";
  return ORDER[level] ?? ORDER.info;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...(redact(fields ?? {}) as object) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
