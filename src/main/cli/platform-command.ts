/**
 * `cockpit platform import coolify --api-url <url> --token-env <VAR> [--project <name or uuid>]
 * --out <file> [--force]`: a platform file proposed from a Coolify server's projects, environments
 * and applications. The token is read from the named environment variable (never an argument: it
 * would sit in the shell history). Nothing is written unless the whole file validates; an existing
 * file is never overwritten without --force. The JSON Schema is written beside it for editors.
 */
import { CockpitError } from '../core/errors';
import { importFromCoolify } from '../core/platform/coolify-import';
import { exitCodes, parseOptions, type CliIo } from './cli-args';

const usage = `Usage: cockpit platform import coolify --api-url <url> --token-env <VAR> [--project <name or uuid>] --out <file> [--force]
Proposes a platform file from Coolify: one service per application (across environments), each
environment's URL, health path, repository, image and deploy (the application's uuid). What Coolify
cannot say (dependencies, databases, windows) is flagged with TODO comments.
  --api-url     Coolify's API, e.g. https://coolify.example.com/api/v1
  --token-env   the environment variable holding an API token (read access is enough)
  --project     the project to import, when the team has several (exit 2 lists them)
  --out         the platform file to write (with platform.schema.json beside it)
  --force       replace --out if it exists
`;

export async function runPlatform(args: string[], io: CliIo): Promise<number> {
  const [verb, source, ...rest] = args;
  if (verb === '--help' || verb === '-h' || verb === undefined) {
    io[verb === undefined ? 'err' : 'out'](usage);
    return verb === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (verb !== 'import' || source !== 'coolify') {
    io.err(`cockpit platform: expected "import coolify".\n${usage}`);
    return exitCodes.usage;
  }
  const options = parseOptions(
    {
      options: {
        'api-url': { type: 'string' },
        'token-env': { type: 'string' },
        project: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    rest,
    io,
  );
  if (options?.values.help) {
    io.out(usage);
    return exitCodes.ok;
  }
  const values = options?.values;
  if (!options || options.positionals.length > 0 || !values?.['api-url'] || !values['token-env'] || !values.out) {
    io.err(usage);
    return exitCodes.usage;
  }
  const apiUrl = values['api-url'];
  if (!/^https?:\/\//.test(apiUrl)) {
    io.err(`cockpit platform import: --api-url "${apiUrl}" is not an http(s) URL.\n`);
    return exitCodes.usage;
  }
  const token = io.env[values['token-env']]?.trim();
  if (!token) {
    io.err(`cockpit platform import: the environment variable ${values['token-env']} is not set or empty.\n`);
    return exitCodes.usage;
  }
  try {
    io.err(`Reading ${apiUrl}…\n`);
    const imported = await importFromCoolify({
      apiUrl,
      token,
      out: values.out,
      replace: values.force === true,
      ...(values.project ? { project: values.project } : {}),
    });
    io.out(
      `${imported.file}: ${imported.services} services × ${imported.environments} environments from the Coolify project "${imported.projectName}". Check its TODO comments, then \`cockpit validate ${values.out}\`.\n`,
    );
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CockpitError) {
      io.err(`cockpit platform import: ${error.message}\n`);
      return error.code === 'BAD_INPUT' ? exitCodes.usage : exitCodes.failed;
    }
    throw error;
  }
}
