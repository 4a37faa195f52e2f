/**
 * What a long-running process (web server, worker) does with errors nothing caught.
 *
 * A rejected promise nobody awaited is logged and the process goes on: such rejections come from
 * libraries' internal promises (postgres.js rejecting a transaction's close watcher when the
 * database drops the socket during an outage) and exiting would abandon every request and job in
 * flight for an error that already reached its caller another way. A thrown exception nothing
 * caught leaves the process in an unknown state: it is logged and the process exits with status 1
 * for its supervisor to restart it.
 */
import { flushLogs, log } from "./log";

let installed = false;

export function logUncaughtErrors(processName: string): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    log.error("unhandled promise rejection", { process: processName, error: reason instanceof Error ? reason : String(reason) });
  });
  process.on("uncaughtException", (error) => {
    log.error("uncaught exception; exiting", { process: processName, error, stack: error.stack?.split("\n").slice(1, 8).join("\n") });
    flushLogs();
    process.exit(1);
  });
}
