/**
 * Where everything of a demo platform lives inside its folder. The demo never touches a path
 * outside it.
 */
import path from 'node:path';

export type DemoLayout = ReturnType<typeof demoLayout>;

export function demoLayout(root: string) {
  const absoluteRoot = path.resolve(root);
  return {
    root: absoluteRoot,
    stateFile: path.join(absoluteRoot, 'demo.json'),
    platformFile: path.join(absoluteRoot, 'platform.yaml'),
    triggerLog: path.join(absoluteRoot, 'deploys.jsonl'),
    origin: (service: string) => path.join(absoluteRoot, 'origin', `${service}.git`),
    work: (service: string) => path.join(absoluteRoot, 'work', service),
    release: (environment: string, service: string, version: string) =>
      path.join(absoluteRoot, 'releases', environment, service, `v${version}`),
    pidFile: (environment: string, service: string) => path.join(absoluteRoot, 'run', environment, `${service}.pid`),
    /** The version an instance should run (survives `demo down`; one file per instance, no shared writes). */
    currentReleaseFile: (environment: string, service: string) =>
      path.join(absoluteRoot, 'releases', environment, service, 'current'),
    logFile: (environment: string, service: string) => path.join(absoluteRoot, 'logs', environment, `${service}.log`),
    data: (environment: string) => path.join(absoluteRoot, 'data', environment),
    backups: (environment: string) => path.join(absoluteRoot, 'backups', environment),
    prometheusFolder: path.join(absoluteRoot, 'prometheus'),
    prometheusPidFile: path.join(absoluteRoot, 'run', 'prometheus.pid'),
  };
}
