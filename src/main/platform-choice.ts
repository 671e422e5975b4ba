/**
 * Which platform the app and the browser mode open: `COCKPIT_PLATFORM`, else the file chosen in
 * settings, else the embedded demo platform created under the data folder — or, for a first start
 * of the packaged app (or `--no-demo`), nothing until the person chooses.
 */
import path from 'node:path';
import { cockpitCliCommand, resourcesDir } from './app-paths';
import { demoUp } from './core/demo/demo-platform';
import { readSettings } from './core/settings';

export interface PlatformChoice {
  platformFile?: string;
  startDemo: () => Promise<string>;
  openDemoAtStart: boolean;
}

/** The platform options for `createCockpit`. */
export async function choosePlatform(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  options: { openDemoAtStart?: boolean } = {},
): Promise<PlatformChoice> {
  const configured = env.COCKPIT_PLATFORM?.trim() || (await readSettings(dataDir)).platformFile;
  const startDemo = async () =>
    (await demoUp({ root: path.join(dataDir, 'demo'), resourcesDir, cliCommand: cockpitCliCommand(), log }))
      .platformFile;
  return {
    ...(configured ? { platformFile: path.resolve(configured) } : {}),
    startDemo,
    openDemoAtStart: options.openDemoAtStart ?? true,
  };
}
