/**
 * The platform commands: the current one, opening a file or the demo (remembered among the
 * recent ones), the desktop's file dialog and editor, and a platform made from Coolify.
 */
import path from 'node:path';
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import { CockpitError } from '../errors';
import { importFromCoolify } from './coolify-import';
import { recentPlatforms, rememberPlatform } from './platform-files';
import type { PlatformSession } from './platform-session';

/** The `platform:*` commands over the platform session. */
export function createPlatformHandlers(context: CockpitContext, session: PlatformSession): HandlersOf<'platform'> {
  const { options, clock, services } = context;
  return {
    'platform:current': () => session.state(),
    'platform:open': async (input) => {
      if (context.isBusy())
        throw new CockpitError(
          'LOCKED',
          'A deploy or a rollback is under way here: open another platform once it ends.',
        );
      const resolved =
        'demo' in input ? await session.startDemo() : { file: path.resolve(input.file), source: 'file' as const };
      if (!resolved) return session.state();
      if (await session.open(resolved))
        await rememberPlatform(
          options.dataDir,
          { file: resolved.file, name: services.platform!.name, isDemo: resolved.source === 'demo' },
          clock(),
        );
      await session.announce();
      return session.state();
    },
    'platform:recent': async () => ({
      recent: await recentPlatforms(options.dataDir),
      canChooseFile: options.desktop !== undefined,
      canOpenInEditor: options.desktop !== undefined,
    }),
    'platform:choose-file': async () => {
      if (!options.desktop)
        throw new CockpitError(
          'NOT_CONFIGURED',
          'There is no file dialog in the browser: type the platform file’s path.',
        );
      const file = await options.desktop.chooseFile();
      return file ? { file } : {};
    },
    'platform:reveal': async ({ how }) => {
      const file = session.state().problemsFile ?? session.openedFile()?.file;
      if (!options.desktop || !file)
        throw new CockpitError('NOT_CONFIGURED', 'Only the desktop app opens files in an editor or a folder.');
      if (how === 'editor') await options.desktop.openInEditor(file);
      else options.desktop.revealInFolder(file);
      return {};
    },
    'platform:import-coolify': async ({ apiUrl, token, project, out }) => {
      if (context.isBusy())
        throw new CockpitError('LOCKED', 'A deploy or a rollback is under way here: import once it ends.');
      const written = await importFromCoolify({ apiUrl, token, project, out });
      if (await session.open({ file: written.file, source: 'file' })) {
        await rememberPlatform(
          options.dataDir,
          { file: written.file, name: services.platform!.name, isDemo: false },
          clock(),
        );
        // The token goes into the keychain as the credential the deploys read, never into the file.
        await context.requireVault().set(written.tokenCredential, token);
      }
      await session.announce();
      return {
        file: written.file,
        services: written.services,
        environments: written.environments,
        state: session.state(),
      };
    },
  };
}
