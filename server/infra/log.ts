/**
 * Structured JSON logs, one object per line: debug and info on stdout, warn and error on stderr.
 *
 * pino writes them: lines are queued and written asynchronously (several per write when the
 * server is busy) instead of one blocking write per line, which cost a third of the CPU of a
 * health check; what is queued is flushed synchronously when the process exits.
 *
 * Every field passes through `redact` (server/infra/redact.ts) before it is written, so a careless
 * `log.info({ body })` cannot leak a password or token, while counts and ids stay readable.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import { redact } from "./redact";

export { isSecretKey, REDACTED, redact } from "./redact";

type Level = "debug" | "info" | "warn" | "error";
const LEVELS = new Set(["debug", "info", "warn", "error", "silent"]);

/** LOG_LEVEL as it is now: read on every line, so a test or CLI that sets it after import is obeyed. */
const levelFromEnv = () => {
  const wanted = process.env.LOG_LEVEL ?? "info";
  return LEVELS.has(wanted) ? wanted : "info";
};
let currentLevel = levelFromEnv();

/**
 * One destination per file descriptor for the whole process: the server entry and Next's route
 * bundles load this module separately, and two asynchronous writers on one pipe could interleave
 * the halves of a line that did not fit in one write.
 */
const holder = globalThis as unknown as { __adinsightsLogDestinations?: Record<1 | 2, DestinationStream> };
const destinations = (holder.__adinsightsLogDestinations ??= {
  1: pino.destination({ dest: 1, sync: false }),
  2: pino.destination({ dest: 2, sync: false }),
});

function logger(fd: 1 | 2): Logger {
  return pino(
    {
      level: currentLevel,
      base: undefined,
      messageKey: "msg",
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redact(fields) as Record<string, unknown>,
      },
    },
    destinations[fd],
  );
}

const out = logger(1);
const err = logger(2);

type Fields = Record<string, unknown>;

function write(level: Level, msg: string, fields?: Fields, unredacted?: Fields): void {
  const wanted = levelFromEnv();
  if (wanted !== currentLevel) currentLevel = out.level = err.level = wanted;
  let target = level === "warn" || level === "error" ? err : out;
  // Bindings of a child logger skip formatters.log, so they are written as given.
  if (unredacted) target = target.child(unredacted);
  if (fields) target[level](fields, msg);
  else target[level](msg);
}

export const log = {
  debug: (msg: string, fields?: Fields) => write("debug", msg, fields),
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
  /**
   * An info line with fields that are shown as they are: only for what a developer must read
   * outside production (the log e-mail provider's invite link). The caller decides; never secrets
   * in production.
   */
  infoUnredacted: (msg: string, fields: Fields, unredacted: Fields) => write("info", msg, fields, unredacted),
};

/** Writes what is queued now (before a deliberate exit that skips the 'exit' event, e.g. a crash handler). */
export function flushLogs(): void {
  for (const destination of Object.values(destinations)) (destination as { flushSync?: () => void }).flushSync?.();
}
