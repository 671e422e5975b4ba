/**
 * Services in dependency order, grouped in waves: every service comes after what it depends on,
 * and services of one wave do not depend on each other (Kahn's algorithm, by levels). Within a
 * wave, the platform file's order is kept. Cycles are rejected when the file is loaded.
 */

export interface DependencyNode {
  id: string;
  dependsOn: readonly string[];
}

/** The waves; throws if a cycle slipped through (the loader rejects them first). */
export function dependencyWaves<T extends DependencyNode>(nodes: readonly T[]): T[][] {
  const known = new Set(nodes.map((node) => node.id));
  const remaining = new Map(nodes.map((node) => [node.id, new Set(node.dependsOn.filter((id) => known.has(id)))]));
  const waves: T[][] = [];
  while (remaining.size > 0) {
    const wave = nodes.filter((node) => remaining.get(node.id)?.size === 0);
    if (wave.length === 0) throw new Error(`dependency cycle among: ${[...remaining.keys()].join(', ')}`);
    for (const node of wave) remaining.delete(node.id);
    for (const dependencies of remaining.values()) for (const node of wave) dependencies.delete(node.id);
    waves.push(wave);
  }
  return waves;
}

/** The services in one deployable order. */
export function dependencyOrder<T extends DependencyNode>(nodes: readonly T[]): T[] {
  return dependencyWaves(nodes).flat();
}
