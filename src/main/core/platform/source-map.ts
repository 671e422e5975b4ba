/**
 * Finding where a path of the parsed data sits in the YAML source, so every problem can say
 * `line:column`. A path that does not exist (a missing field) points at its closest parent.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Positions of nodes of one parsed document. */
export class YamlSourceMap {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Where the value at `path` starts (or where its key starts, with `atKey`). */
  positionOf(path: readonly PropertyKey[], options: { atKey?: boolean } = {}): SourcePosition {
    let node: unknown = this.document.contents;
    let keyNode: unknown;
    let lastFound: unknown = node;
    for (const segment of path) {
      const next = childOf(node, segment);
      if (!next) break;
      node = next.value;
      keyNode = next.key;
      lastFound = next.value ?? next.key;
      if (!node) break;
    }
    const target = options.atKey && keyNode ? keyNode : lastFound;
    return this.positionOfNode(target);
  }

  /** Where the key `key` of the map at `path` starts, if present. */
  positionOfKey(path: readonly PropertyKey[], key: string): SourcePosition {
    return this.positionOf([...path, key], { atKey: true });
  }

  /** The position of a byte offset. */
  positionOfOffset(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  private positionOfNode(node: unknown): SourcePosition {
    const range = (node as Node | undefined)?.range;
    return range ? this.positionOfOffset(range[0]) : { line: 1, column: 1 };
  }
}

function childOf(node: unknown, segment: PropertyKey): { key?: unknown; value?: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && scalarValue(item.key) === String(segment));
    return pair ? { key: pair.key, value: pair.value ?? undefined } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item ? { value: item } : undefined;
  }
  return undefined;
}

function scalarValue(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}
