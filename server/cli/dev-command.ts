/** The shared start of the dev-data CLIs: --help, a valid environment, then the guard. */
import { assertEnvOrExit } from "../env";
import { devCommandsAllowed, REFUSAL } from "../services/devdata/guard";

export function startDevCommand(usage: string, help: boolean | undefined): void {
  if (help) {
    console.log(usage);
    process.exit(0);
  }
  assertEnvOrExit();
  if (!devCommandsAllowed()) {
    // Exit 0: refusing is the expected outcome outside development, not a failure.
    console.warn(REFUSAL);
    process.exit(0);
  }
}
