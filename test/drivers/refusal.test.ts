/** The one table of refusal categories: SIP codes first, then the codec's own words. */
import { describe, expect, it } from 'vitest';
import { causeText, refusalCategory, refused } from '../../src/drivers/refusal.js';
import { translator } from '../../src/i18n/index.js';

describe('refusal categories', () => {
  it.each([
    [401, 'auth'],
    [407, 'auth'],
    [486, 'busy'],
    [600, 'busy'],
    [404, 'not_found'],
    [604, 'not_found'],
    [480, 'unavailable'],
    [503, 'unavailable'],
    [408, 'timeout'],
    [488, 'media'],
    [606, 'media'],
    [603, 'other'],
    [500, 'other'],
  ] as const)('SIP %i → %s', (sipCode, category) => {
    expect(refusalCategory({ sipCode })).toBe(category);
  });

  it('reads the codec words when there is no SIP code, and the SIP code wins over them', () => {
    expect(refusalCategory({ cause: 'RemoteBusy' })).toBe('busy');
    expect(refusalCategory({ cause: 'UnknownRemoteSite' })).toBe('not_found');
    expect(refusalCategory({ cause: 'TimedOut' })).toBe('timeout');
    expect(refusalCategory({ cause: 'Unauthorized' })).toBe('auth');
    expect(refusalCategory({ cause: 'Temporarily Unavailable' })).toBe('unavailable');
    expect(refusalCategory({ cause: 'LocalDisconnect' })).toBe('other');
    expect(refusalCategory({ sipCode: 404, cause: 'RemoteBusy' })).toBe('not_found');
    expect(refusalCategory({})).toBe('other');
  });

  it('says the code and the raw words; with nothing known, the general message of old', () => {
    expect(causeText({ sipCode: 407, cause: 'Rejected' })).toBe('SIP 407, Rejected');
    expect(causeText({})).toBeUndefined();
    const t = translator('en');
    const known = refused(t, '8001@mcu', { sipCode: 407 });
    expect(known).toMatchObject({ code: 'CALL_REJECTED', category: 'auth' });
    expect(known.details()).toEqual({ category: 'auth', sip_code: 407 });
    const unknown = refused(t, '8001@mcu');
    expect(unknown.message).toBe('the bridge refused the call to 8001@mcu, or it ended before it connected');
    expect(unknown.details()).toEqual({ category: 'other' });
  });
});
