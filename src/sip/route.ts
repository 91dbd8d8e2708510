/**
 * The route set of a dialog (RFC 3261 §12.1.2) and where an in-dialog
 * request goes (§12.2.1.1): a UAC takes the 2xx's Record-Route entries in
 * reverse order; with a loose router first (`;lr`) the Request-URI is the
 * remote target and every entry becomes a Route header; with a strict
 * router first, its URI becomes the Request-URI and the remote target goes
 * last in the Route headers.
 */
import { headers, type SipMessage } from './message.js';

/** Split a header value on the commas that separate entries (not inside `<…>` or quotes). */
export function splitEntries(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

/** The route set a UAC keeps from the 2xx to its INVITE: Record-Route entries, last first. */
export function routeSetFrom(response: SipMessage): string[] {
  return headers(response, 'record-route').flatMap(splitEntries).reverse();
}

/** The URI inside `<…>` (or the bare value). */
export function uriOf(entry: string): string {
  return /<([^>]+)>/.exec(entry)?.[1] ?? entry.split(';')[0]?.trim() ?? entry;
}

/** A loose router marks its URI with the `lr` parameter (`;lr` or `;lr=on`). */
export function isLooseRouter(entry: string): boolean {
  return /;\s*lr(?:=[^;>]*)?(?=[;>]|$)/i.test(uriOf(entry));
}

/** Request-URI and Route headers of an in-dialog request. */
export function inDialogTarget(
  routeSet: readonly string[],
  remoteTarget: string,
): { requestUri: string; routes: string[] } {
  const first = routeSet[0];
  if (first === undefined) return { requestUri: remoteTarget, routes: [] };
  if (isLooseRouter(first)) return { requestUri: remoteTarget, routes: [...routeSet] };
  // Strict router (RFC 2543 style): its URI is the Request-URI, without `method` (not allowed there).
  const requestUri = uriOf(first).replace(/;method=[^;]*/gi, '');
  return { requestUri, routes: [...routeSet.slice(1), `<${remoteTarget}>`] };
}
