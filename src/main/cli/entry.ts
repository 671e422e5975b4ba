/**
 * The bundled CLI's entry (`out/cli/cockpit.mjs`): what `bin/cockpit.js` runs from `src` through
 * tsx, here with plain Node (or Electron's own, as Node).
 */
import { main } from './index';

process.exitCode = await main(process.argv.slice(2));
