/**
 * What the demo remembers between runs (`state.json`): the loopback port of each instance and of
 * Prometheus, picked once and re-picked only when something else took one.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CockpitError } from '../errors';
import { demoEnvironments, demoServices } from './catalog';
import { findFreePort, isPortTaken, runningInstance } from './instances';
import type { DemoLayout } from './layout';

export const DemoState = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  ports: z.record(z.string(), z.record(z.string(), z.number().int())),
  prometheusPort: z.number().int().optional(),
});
export type DemoState = z.infer<typeof DemoState>;

export async function initialState(now: Date): Promise<DemoState> {
  const ports: DemoState['ports'] = {};
  const taken = new Set<number>();
  for (const environment of demoEnvironments) {
    ports[environment] = {};
    for (const service of demoServices) ports[environment][service.id] = await uniqueFreePort(taken);
  }
  return { version: 1, createdAt: now.toISOString(), ports };
}

/** Re-picks a recorded port that something else now occupies (only for instances not running). */
export async function ensurePortsFree(layout: DemoLayout, state: DemoState): Promise<void> {
  const taken = new Set(Object.values(state.ports).flatMap((byService) => Object.values(byService)));
  for (const environment of demoEnvironments) {
    for (const service of demoServices) {
      const port = state.ports[environment]![service.id]!;
      const running = runningInstance(layout, environment, service.id);
      if (!running && (await isPortTaken(port))) state.ports[environment]![service.id] = await uniqueFreePort(taken);
    }
  }
}

export async function uniqueFreePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await findFreePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new CockpitError('DEMO_FAILED', 'Could not find free loopback ports for the demo services.');
}

export async function readState(layout: DemoLayout): Promise<DemoState | undefined> {
  try {
    const parsed = DemoState.safeParse(JSON.parse(await readFile(layout.stateFile, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeState(layout: DemoLayout, state: DemoState): Promise<void> {
  await writeFile(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}
