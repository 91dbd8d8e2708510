/**
 * A reply body read up to `max` bytes: the codec HTTP client and the
 * registry client both use it, so a hostile or broken peer costs at most
 * that much memory (docs/operations.md, bounded peers).
 */

/** The body, or undefined (and the stream destroyed, which aborts the request) once it is over `max` bytes. */
export async function readAtMost(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  contentLength: string | string[] | undefined,
  max: number,
): Promise<Buffer | undefined> {
  if (Number(contentLength) > max) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
