/**
 * The kind registry (src/checks/index.ts) loads each kind only when asked:
 * every name it lists must load the kind of that name, and nothing is found
 * before it is loaded.
 */
import { describe, expect, it } from 'vitest';
import { findKind, isKindName, KIND_NAMES, loadKind } from '../../src/checks/index.js';

describe('the kind registry', () => {
  it('finds a kind only once it is loaded', async () => {
    expect(findKind('camera')).toBeUndefined();
    expect((await loadKind('camera'))?.kind).toBe('camera');
    expect(findKind('camera')).toBe(await loadKind('camera'));
  });

  it('each name loads the kind of that name', async () => {
    expect(KIND_NAMES.length).toBeGreaterThan(10);
    for (const name of KIND_NAMES) expect((await loadKind(name))?.kind).toBe(name);
  });

  it('knows no other names', async () => {
    expect(isKindName('tpc')).toBe(false);
    expect(isKindName('toString')).toBe(false);
    expect(await loadKind('toString')).toBeUndefined();
    expect(findKind('tpc')).toBeUndefined();
  });
});
