import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Fleet-sized scenarios (a thousand phones for a month): runnable by path like any scenario file, but kept out of
 * the library, which a workshop and CI run whole in seconds.
 */
export const FLEET_DIR = join(dirname(fileURLToPath(import.meta.url)), "fleets");
