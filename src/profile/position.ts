/**
 * Where a value came from: a profile is merged from its file and the files it
 * extends, so an error at `checks[3].warn.rtt_ms` is traced back to the layer
 * (file, line, column) that wrote it.
 */
import { type Document, isMap, isNode, isSeq, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface Layer {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** The plain data of this file (before merging). */
  data: Record<string, unknown>;
}

export interface Position {
  file: string;
  line?: number;
  col?: number;
}

/** `checks[3].warn.rtt_ms` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

function nodeAt(
  doc: Document,
  path: readonly PathSegment[],
  atKey = false,
): { node: Node | undefined; depth: number } {
  let node: unknown = doc.contents;
  let depth = 0;
  for (const [i, seg] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isNode(p.key) ? (p.key as { value?: unknown }).value : p.key) === seg,
      );
      // The key, not the value, for "unknown field" errors.
      next = atKey && i === path.length - 1 && isNode(pair?.key) ? pair?.key : pair?.value;
    } else if (isSeq(node) && typeof seg === 'number') next = node.get(seg, true);
    if (!isNode(next)) break;
    node = next;
    depth += 1;
  }
  return { node: isNode(node) ? node : undefined, depth };
}

function positionOf(layer: Layer, node: Node | undefined): Position {
  const offset = node?.range?.[0];
  if (offset === undefined) return { file: layer.file };
  const { line, col } = layer.lines.linePos(offset);
  return { file: layer.file, line, col };
}

const LISTS_BY_ID = new Set(['checks', 'bridges']);

/**
 * Find where `path` (in the merged document) was written. Lists merged by id
 * (checks, bridges) are looked up by the item's id in each layer.
 */
export function locate(
  layers: readonly Layer[],
  merged: Record<string, unknown>,
  path: readonly PathSegment[],
  atKey = false,
): Position {
  const [head, index, ...rest] = path;
  if (typeof head === 'string' && LISTS_BY_ID.has(head) && typeof index === 'number') {
    const mergedList = (merged[head] as Array<Record<string, unknown>> | undefined) ?? [];
    const item = mergedList[index];
    const id = item?.id;
    // The n-th item with this id (a duplicate id points at the duplicate, not the first).
    const nth = mergedList.slice(0, index).filter((x) => x?.id === id).length;
    let fallback: Position | undefined;
    for (const layer of layers) {
      const list = layer.data[head];
      if (!Array.isArray(list)) continue;
      const matches = list.flatMap((x, i) =>
        x && typeof x === 'object' && (x as { id?: unknown }).id === id ? [i] : [],
      );
      const i = matches[nth] ?? matches[0];
      if (i === undefined) continue;
      const found = nodeAt(layer.doc, [head, i, ...rest], atKey);
      if (found.depth === rest.length + 2) return positionOf(layer, found.node);
      fallback ??= positionOf(layer, found.node);
    }
    const kind = item?.kind;
    if (head === 'checks' && typeof kind === 'string' && rest.length > 0) {
      for (const layer of layers) {
        const found = nodeAt(layer.doc, ['check_defaults', kind, ...rest]);
        if (found.depth === rest.length + 2) return positionOf(layer, found.node);
      }
    }
    if (fallback) return fallback;
  }
  let best: { pos: Position; depth: number } | undefined;
  for (const layer of layers) {
    const found = nodeAt(layer.doc, path, atKey);
    if (found.depth === path.length) return positionOf(layer, found.node);
    if (!best || found.depth > best.depth) best = { pos: positionOf(layer, found.node), depth: found.depth };
  }
  return best?.pos ?? { file: layers[0]?.file ?? '' };
}
