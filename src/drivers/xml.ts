/**
 * Reading Cisco xAPI XML: fast-xml-parser (loaded lazily), every value kept
 * as text (the xAPI's leaves are text: True/False, On/Off, numbers), list
 * nodes normalised to arrays, and `item` attributes (the call id lives
 * there). Old TC firmware put `item="1"` on leaves too, so a leaf may come
 * back as `{ '#text': 'Registered', '@_item': '1' }`: `text()` handles both.
 */
export type XmlNode = Record<string, unknown>;

export class XmlError extends Error {}

type FxpModule = typeof import('fast-xml-parser');
let fxp: FxpModule | undefined;

async function parser(): Promise<FxpModule> {
  fxp ??= await import('fast-xml-parser');
  return fxp;
}

/** Parse and validate; throws XmlError on anything that is not well-formed XML with a root element. */
export async function parseXml(text: string): Promise<XmlNode> {
  const { XMLParser, XMLValidator } = await parser();
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) throw new XmlError('not XML');
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new XmlError(`${valid.err.msg} (line ${valid.err.line})`);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
  }).parse(trimmed) as XmlNode;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (roots.length !== 1) throw new XmlError('no root element');
  return doc;
}

function isNode(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A child that may be absent, single or repeated, as an array. */
export function list(v: unknown): XmlNode[] {
  if (v === undefined || v === null || v === '') return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => (isNode(x) ? x : { '#text': String(x) }));
}

/** Text of a leaf ('' for an empty element), undefined when absent. */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return text(v[0]);
  if (isNode(v)) {
    const inner = v['#text'];
    return inner === undefined ? '' : String(inner);
  }
  return String(v);
}

export function num(v: unknown): number | undefined {
  const s = text(v);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const v = node[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

/** Walk element names from a node; undefined as soon as one is missing. */
export function at(node: unknown, ...names: string[]): unknown {
  let cur: unknown = node;
  for (const name of names) {
    if (Array.isArray(cur)) cur = cur[0];
    if (!isNode(cur)) return undefined;
    cur = cur[name];
  }
  return cur;
}

/** Escape text for an XML element (the xAPI needs &, < and > escaped in values). */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
