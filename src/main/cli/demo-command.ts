/**
 * `cockpit demo up|down|status|deploy|restore|check-data`: the embedded demo platform.
 */
import os from 'node:os';
import path from 'node:path';
import { cockpitCliCommand, resourcesDir } from '../app-paths';
import { resolveDataDir } from '../core/data-dir';
import {
  demoCheckData,
  demoDeploy,
  demoDown,
  demoRestore,
  demoStart,
  demoStatus,
  demoStop,
  demoUp,
  type DemoInstanceStatus,
} from '../core/demo/demo-platform';
import { CockpitError } from '../core/errors';
import { exitCodes, parseOptions, type CliIo } from './cli-args';

const usage = `Usage:
  cockpit demo up [--dir D] [--json]          create or resume the demo platform; prints its platform file
  cockpit demo down [--dir D] [--purge]       stop every demo process (--purge also deletes the folder)
  cockpit demo status [--dir D] [--json]      list the demo's instances
  cockpit demo deploy --service S --environment E --version V [--dir D]
  cockpit demo stop|start --service S --environment E [--dir D]
  cockpit demo restore --environment E --backup B [--dir D]
  cockpit demo check-data --environment E [--dir D]
The folder defaults to <data folder>/demo.
`;

/** The demo folder: `--dir`, else `<data folder>/demo`. */
export function defaultDemoDir(env: NodeJS.ProcessEnv): string {
  return path.join(resolveDataDir({ env, platform: process.platform, homeDir: os.homedir() }), 'demo');
}

export async function runDemo(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const options = parseOptions(
    {
      options: {
        dir: { type: 'string' },
        json: { type: 'boolean' },
        purge: { type: 'boolean' },
        service: { type: 'string' },
        environment: { type: 'string' },
        version: { type: 'string' },
        backup: { type: 'string' },
      },
    },
    rest,
    io,
  );
  if (!options || options.positionals.length > 0) {
    io.err(usage);
    return exitCodes.usage;
  }
  const { values } = options;
  const root = path.resolve(values.dir ?? defaultDemoDir(io.env));
  const log = (line: string) => io.out(`${line}\n`);
  try {
    switch (action) {
      case 'up': {
        const result = await demoUp({
          root,
          resourcesDir,
          cliCommand: cockpitCliCommand(),
          log: values.json ? undefined : log,
        });
        if (values.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
        else io.out(`${result.platformFile}\n`);
        return exitCodes.ok;
      }
      case 'down': {
        const stopped = await demoDown(root, { purge: values.purge });
        io.out(
          `Stopped ${stopped} demo process${stopped === 1 ? '' : 'es'}${values.purge ? ` and deleted ${root}` : ''}.\n`,
        );
        return exitCodes.ok;
      }
      case 'status': {
        const instances = await demoStatus(root);
        if (values.json) io.out(`${JSON.stringify({ root, instances }, null, 2)}\n`);
        else io.out(formatStatus(root, instances));
        return instances.length > 0 && instances.every((instance) => instance.isRunning)
          ? exitCodes.ok
          : exitCodes.failed;
      }
      case 'deploy': {
        if (!values.service || !values.environment || !values.version)
          return usageError(io, 'deploy needs --service, --environment and --version.');
        await demoDeploy({
          root,
          service: values.service,
          environment: values.environment,
          version: values.version,
          log,
        });
        return exitCodes.ok;
      }
      case 'stop':
      case 'start': {
        if (!values.service || !values.environment)
          return usageError(io, `${action} needs --service and --environment.`);
        await (action === 'stop' ? demoStop : demoStart)(root, values.environment, values.service, log);
        return exitCodes.ok;
      }
      case 'restore': {
        if (!values.environment || !values.backup) return usageError(io, 'restore needs --environment and --backup.');
        await demoRestore(root, values.environment, values.backup, log);
        return exitCodes.ok;
      }
      case 'check-data': {
        if (!values.environment) return usageError(io, 'check-data needs --environment.');
        const problems = await demoCheckData(root, values.environment);
        for (const problem of problems) io.err(`${problem}\n`);
        io.out(problems.length === 0 ? `The ${values.environment} data is intact.\n` : '');
        return problems.length === 0 ? exitCodes.ok : exitCodes.failed;
      }
      default:
        io.err(usage);
        return exitCodes.usage;
    }
  } catch (error) {
    const message = error instanceof CockpitError ? error.message : `Unexpected failure: ${(error as Error).message}`;
    io.err(`cockpit demo ${action}: ${message}\n`);
    return exitCodes.failed;
  }
}

function usageError(io: CliIo, message: string): number {
  io.err(`cockpit demo: ${message}\n${usage}`);
  return exitCodes.usage;
}

function formatStatus(root: string, instances: DemoInstanceStatus[]): string {
  if (instances.length === 0) return `No demo platform in ${root}. Run \`cockpit demo up\`.\n`;
  const lines = [`Demo platform in ${root}`];
  for (const instance of instances) {
    const state = instance.isRunning ? `running v${instance.version ?? '?'} (pid ${instance.pid})` : 'stopped';
    lines.push(
      `  ${instance.environment.padEnd(11)} ${instance.service.padEnd(19)} ${instance.url.padEnd(23)} ${state}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
