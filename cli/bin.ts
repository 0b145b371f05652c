/**
 * The compiled `meshgate` command (`node dist/cli/bin.js`, what the image runs). bin/meshgate.js
 * runs the same main through tsx for development, with no build step.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
