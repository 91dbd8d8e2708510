/** A tiny XML tree for the simulated Cisco codec: build, prune to an xAPI path, serialize. */
import { escapeXml } from '../drivers/xml.js';

export interface XNode {
  name: string;
  attrs?: Record<string, string>;
  children?: XNode[];
  text?: string;
}

/** An element with text (string/number/boolean) or children. */
export function el(name: string, content?: string | number | XNode[], attrs?: Record<string, string>): XNode {
  const node: XNode = { name };
  if (attrs) node.attrs = attrs;
  if (Array.isArray(content)) node.children = content;
  else if (content !== undefined) node.text = String(content);
  return node;
}

/** A list node: `item="N" maxOccurrence="n"`, as the xAPI marks them. */
export function item(name: string, n: number | string, children: XNode[]): XNode {
  return el(name, children, { item: String(n), maxOccurrence: 'n' });
}

/**
 * The tree cut down to `segments` (xAPI path below /Status, case-insensitive;
 * a number after a list name picks that item), still wrapped from the root.
 */
export function prune(node: XNode, segments: readonly string[]): XNode | undefined {
  if (segments.length === 0) return node;
  const [head, ...rest] = segments as [string, ...string[]];
  let kids = (node.children ?? []).filter((c) => c.name.toLowerCase() === head.toLowerCase());
  if (rest[0] !== undefined && /^\d+$/.test(rest[0])) {
    const n = rest.shift() as string;
    kids = kids.filter((k) => k.attrs?.item === n);
  }
  const kept = kids.map((k) => prune(k, rest)).filter((k): k is XNode => k !== undefined);
  return kept.length ? { ...node, children: kept } : undefined;
}

export function serialize(node: XNode): string {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (node.children?.length)
    return `<${node.name}${attrs}>${node.children.map(serialize).join('')}</${node.name}>`;
  if (node.text !== undefined && node.text !== '')
    return `<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`;
  return `<${node.name}${attrs}/>`;
}

export function document(root: XNode): string {
  return `<?xml version="1.0"?>\n${serialize(root)}\n`;
}
