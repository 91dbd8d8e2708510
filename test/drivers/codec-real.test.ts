/**
 * The drivers against payloads captured from real codecs
 * (test/fixtures/codec-real, sources in its SOURCES.md), served on
 * 127.0.0.1 at the paths the drivers ask for: every reading asserted field
 * by field, through the driver and through the checks. Then bad input:
 * unknown words, missing nodes, numbers as strings, `item` on leaves,
 * unknown elements, HTML pages, and 401/403 in the middle of a session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { codecDiagnostics } from '../../src/checks/codec-diagnostics.js';
import { codecPeripherals } from '../../src/checks/codec-peripherals.js';
import { codecRegistration } from '../../src/checks/codec-registration.js';
import { codecStatus } from '../../src/checks/codec-status.js';
import { assertIdle, canCall } from '../../src/drivers/call-flow.js';
import type { CodecDriver } from '../../src/drivers/types.js';
import { translator } from '../../src/i18n/index.js';
import {
  ciscoFixture as ciscoServer,
  ciscoSipFailed,
  fixture,
  GROUP_500,
  group500Idle,
  polyFixture as polyServer,
  type Served,
  X30,
} from '../helpers/codec-real.js';
import { kindContext } from '../helpers/kind-context.js';
import { codecConfig, driverFor, rejection } from './codec-setup.js';

const servers: Served[] = [];
const drivers: CodecDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
  for (const s of servers) expect(s.open()).toBe(0);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const keep = (served: Served) => {
  servers.push(served);
  return served;
};
const ciscoFixture = async (...args: Parameters<typeof ciscoServer>) => keep(await ciscoServer(...args));
const polyFixture = async (...args: Parameters<typeof polyServer>) => keep(await polyServer(...args));

const cisco = async (served: Served) => {
  const d = await driverFor(served, 'cisco', { auth: 'session' });
  drivers.push(d);
  return d;
};
const checkCtx = (served: Served, driver: 'cisco' | 'poly') =>
  kindContext({ profile: { codec: codecConfig(served, driver, { auth: 'session' }) } });

describe('cisco: real captures', () => {
  it('SX20 on ce9.1.4 in a SIP call (c2): identity, registrations, peripherals, call, media, busy', async () => {
    const served = await ciscoFixture(fixture('cisco/c2-sx20-ce9.1.4-incall-status.xml'));
    const d = await cisco(served);
    expect(await d.identify()).toEqual({
      vendor: 'Cisco',
      model: 'Cisco TelePresence SX20',
      software: 'ce 9.1.4 3ae3106 2017-08-30',
      serial: 'FTT181900JJ',
      awake: true,
      powerState: 'Off',
      uptimeS: 344379,
      activeCalls: 1,
    });
    expect(await d.registration!()).toEqual({
      sip: [{ protocol: 'sip', state: 'registered', raw: 'Registered', target: 'NH-SX20@nh.vnoc1.com' }],
      h323: [{ protocol: 'h323', state: 'registered', raw: 'Registered', target: '172.31.254.64' }],
    });
    const p = await d.peripherals!();
    expect(p.cameras).toEqual([{ id: '1', connected: true, raw: 'True', name: 'PrecisionHD 1080p 2.5X' }]);
    expect(p.microphones).toEqual([
      { id: '1', connected: false, raw: 'NotConnected' },
      { id: '2', connected: false, raw: 'NotConnected' },
    ]);
    expect(p.micMuted).toBe(true);
    // No Peripherals node on this SX20: touch panels are unknown, not "none".
    expect(p.touchPanels).toBeUndefined();
    expect(p.unreported).toEqual(['touchPanels']);
    expect(await d.calls!()).toEqual([
      {
        id: '26',
        remote: '6251234567@vnoc1.com',
        state: 'connected',
        raw: 'Connected',
        direction: 'incoming',
        protocol: 'SIP',
        rateKbps: 3381,
        durationS: 25195,
      },
    ]);
    const media = await d.mediaStats!('26');
    expect(media.channels[0]).toEqual({
      direction: 'rx',
      media: 'audio',
      codec: 'AACLD',
      rateKbps: 62,
      jitterMs: 2,
      lost: 6,
      packets: 1259708,
      lossPct: (6 / 1259708) * 100,
    });
    expect(media.channels[1]).toMatchObject({
      direction: 'tx',
      media: 'audio',
      codec: 'AACLD',
      rateKbps: 64,
    });
    expect(await d.busy!()).toBe('NumberOfActiveCalls 1');
    if (!canCall(d)) throw new Error('cisco can call');
    const busy = await rejection(assertIdle(d, translator('en')));
    expect(busy.code).toBe('CODEC_BUSY');
    expect(busy.message).toBe('the codec is already in a call with 6251234567@vnoc1.com (call 26)');
  });

  it('SX20 (c2) through the checks: no Diagnostics node is unknown (warn), never a pass', async () => {
    const served = await ciscoFixture(fixture('cisco/c2-sx20-ce9.1.4-incall-status.xml'));
    const ctx = checkCtx(served, 'cisco');
    const diag = await codecDiagnostics.run({}, ctx);
    expect(diag).toMatchObject({
      status: 'warn',
      summary: 'the codec said nothing about diagnostics (its reply has no Diagnostics)',
      error: { code: 'CODEC_SILENT' },
    });
    const reg = await codecRegistration.run({ require: 'all' }, ctx);
    expect(reg.status).toBe('pass');
    expect(reg.summary).toBe(
      'registered via SIP, H.323; SIP Registered (NH-SX20@nh.vnoc1.com); H.323 Registered (172.31.254.64)',
    );
    const periph = await codecPeripherals.run({ expect: { touch_panels: 1 } }, ctx);
    expect(periph.status).toBe('fail');
    expect(periph.summary).toBe(
      '1 of 1 camera(s) and 0 of 2 microphone(s) connected: need 1 microphone(s), 0 connected',
    );
  });

  it('Room Bar on RoomOS 11.19 in a Teams call with no <Call> node (c1): dial refuses, Teams counts as registered', async () => {
    const served = await ciscoFixture(fixture('cisco/c1-roombar-11.19-teams-call-status.xml'));
    const d = await cisco(served);
    expect(await d.calls!()).toEqual([]);
    expect(await d.busy!()).toBe('NumberOfActiveCalls 1, System InCall, MicrosoftTeams InCall True');
    if (!canCall(d)) throw new Error('cisco can call');
    const busy = await rejection(assertIdle(d, translator('en')));
    expect(busy.code).toBe('CODEC_BUSY');
    expect(busy.message).toBe(
      'the codec is already in a call (NumberOfActiveCalls 1, System InCall, MicrosoftTeams InCall True), though it lists none',
    );
    expect(await d.registration!()).toEqual({
      sip: [{ protocol: 'sip', state: 'inactive', raw: 'Inactive' }],
      cloud: [{ protocol: 'teams', state: 'registered', raw: 'MicrosoftTeams' }],
    });
    const reg = await codecRegistration.run({}, checkCtx(served, 'cisco'));
    expect(reg.status).toBe('pass');
    expect(reg.summary).toBe(
      'registered via Microsoft Teams; Microsoft Teams MicrosoftTeams (-); H.323 not applicable on this product',
    );
    expect(reg.details).toMatchObject({ via: ['Microsoft Teams'] });
    expect(await d.identify()).toMatchObject({ model: 'Cisco Room Bar', awake: true, activeCalls: 1 });
  });

  it('diagnostics on ce9.6.1 (c3): two errors, two warnings, each field read', async () => {
    const served = await ciscoFixture(fixture('cisco/c3-ce9.6.1-diagnostics-with-warnings.xml'));
    const d = await cisco(served);
    expect(await d.diagnostics!()).toEqual([
      {
        level: 'critical',
        type: 'ValidPasswords',
        description: 'There is one or more users without a passphrase set',
      },
      {
        level: 'warning',
        type: 'ProvisioningModeAndStatus',
        description: 'Provisioning mode is set, but provisioning status is not reporting Provisioned.',
      },
      { level: 'error', type: 'ProvisioningStatus', description: 'Provisioning is in an error state.' },
      {
        level: 'warning',
        type: 'SIPListenPortAndRegistration',
        description:
          'Enabling SIP ListenPort when registered on SIP may cause higher connection load on the system',
      },
    ]);
    const r = await codecDiagnostics.run({}, checkCtx(served, 'cisco'));
    expect(r).toMatchObject({
      status: 'fail',
      metrics: { errors: 2, warnings: 2 },
      summary:
        '2 error(s), 2 warning(s): ValidPasswords: There is one or more users without a passphrase set',
    });
  });

  it('an incoming call on ce9.6.1 (c4): every field of the call', async () => {
    const served = await ciscoFixture(fixture('cisco/c4-ce9.6.1-call-incoming-unanswered.xml'));
    expect(await (await cisco(served)).calls!()).toEqual([
      {
        id: '80',
        remote: 'testcall@video.mividas.com',
        state: 'connected',
        raw: 'Connected',
        direction: 'incoming',
        protocol: 'SIP',
        rateKbps: 3072,
        durationS: 4,
      },
    ]);
  });

  it('a failed SIP registration (c7): state, URI and the reason', async () => {
    const served = await ciscoFixture(ciscoSipFailed());
    expect(await (await cisco(served)).registration!()).toEqual({
      sip: [
        {
          protocol: 'sip',
          state: 'failed',
          raw: 'Failed',
          target: 'ftt18330017@cisco-device',
          reason: 'DNS lookup failed',
        },
      ],
    });
    const r = await codecRegistration.run({}, checkCtx(served, 'cisco'));
    expect(r.status).toBe('fail');
    expect(r.hint).toContain('The codec says: DNS lookup failed.');
  });
});

describe('cisco: bad input', () => {
  const base = `<Status product="Cisco Codec">
  <Standby><State item="1">Off</State><Mystery>42</Mystery></Standby>
  <SystemUnit><ProductId>Cisco Room Kit</ProductId><Uptime>  1200 </Uptime><State><NumberOfActiveCalls>0</NumberOfActiveCalls><NumberOfInProgressCalls>1</NumberOfInProgressCalls></State><FutureNode><X>1</X></FutureNode></SystemUnit>
  <SIP><Profile><Registration item="1"><Status item="1">Registered</Status><URI item="1">room@vc.gov.vn</URI></Registration></Profile></SIP>
  <Diagnostics><Message item="4"><Level>Severe&#27;[31m</Level><Type>Fan</Type><Description>Fan&#7; slow</Description></Message></Diagnostics>
</Status>`;

  it('item="1" on leaves, numbers with spaces, unknown elements: read; an in-progress call is busy', async () => {
    const d = await cisco(await ciscoFixture(base));
    expect(await d.identify()).toMatchObject({
      model: 'Cisco Room Kit',
      powerState: 'Off',
      awake: true,
      uptimeS: 1200,
    });
    expect((await d.registration!()).sip).toEqual([
      { protocol: 'sip', state: 'registered', raw: 'Registered', target: 'room@vc.gov.vn' },
    ]);
    expect(await d.busy!()).toBe('NumberOfInProgressCalls 1');
  });

  it('an unknown diagnostic level is a warning with the raw word, control characters stripped', async () => {
    const served = await ciscoFixture(base);
    expect(await (await cisco(served)).diagnostics!()).toEqual([
      { level: 'warning', type: 'Fan', description: 'Fan slow', raw: 'Severe[31m' },
    ]);
    expect((await codecDiagnostics.run({}, checkCtx(served, 'cisco'))).status).toBe('warn');
  });

  it('no Standby node: the power state is unknown (warn), not awake', async () => {
    const served = await ciscoFixture(
      '<Status><SystemUnit><ProductId>Cisco Desk</ProductId></SystemUnit></Status>',
    );
    const r = await codecStatus.run({}, checkCtx(served, 'cisco'));
    expect(r).toMatchObject({
      status: 'warn',
      summary: 'Cisco Desk, software ?: the codec did not say whether it is awake',
    });
  });

  it('an HTML login page instead of XML is a bad reply that says so', async () => {
    const served = await ciscoFixture(base, {
      override: () => ({
        status: 200,
        body: '<!DOCTYPE html><html><body>Sign in\u001b</body></html>',
        headers: { 'content-type': 'text/html' },
      }),
    });
    const err = await rejection((await cisco(served)).identify());
    expect(err.code).toBe('CODEC_BAD_REPLY');
    expect(err.message).toContain('an HTML page, not XML: <!DOCTYPE html><html><body>Sign in</body></html>');
  });

  it('401 mid-session: a new session once, then an auth error; 403: forbidden', async () => {
    let code = 401;
    const served = await ciscoFixture(base, {
      override: (loc) => (loc.includes('Diagnostics') ? { status: code } : undefined),
    });
    const d = await cisco(served);
    await d.identify();
    expect((await rejection(d.diagnostics!())).code).toBe('CODEC_AUTH');
    code = 403;
    expect((await rejection(d.diagnostics!())).code).toBe('CODEC_FORBIDDEN');
    const r = await codecDiagnostics.run({}, checkCtx(served, 'cisco'));
    expect(r).toMatchObject({ status: 'error', error: { code: 'CODEC_FORBIDDEN' } });
  });
});

const poly = async (served: Served) => {
  const d = await driverFor(served, 'poly');
  drivers.push(d);
  return d;
};

describe('poly: real captures', () => {
  it('Studio X30 on VideoOS 3.12 (p1–p9): every field', async () => {
    const served = await polyFixture(X30);
    const d = await poly(served);
    expect(await d.identify()).toEqual({
      vendor: 'Poly',
      model: 'StudioX30',
      software: '3.12.0',
      serial: '8L200353429AFC',
      name: 'NH-StudioX30-53429a',
      awake: false,
      powerState: 'ASLEEP',
      uptimeS: 693845,
    });
    expect(await d.registration!()).toEqual({
      sip: [{ protocol: 'sip', state: 'registered', raw: 'UP', target: '172.31.254.64' }],
      h323: [{ protocol: 'h323', state: 'registered', raw: 'UP', target: '172.31.254.64' }],
    });
    expect(await d.peripherals!()).toEqual({
      cameras: [{ id: 'local-camera', connected: true, raw: 'PAIRED' }],
      microphones: [{ id: '0', connected: true, raw: 'MIC_STATE_GREEN', name: 'Polycom Kitten Mic' }],
      touchPanels: [{ id: '3679494759', connected: true, raw: 'CONNECTED', name: 'Poly TC8' }],
      micMuted: true,
    });
    // all_up, up and off: nothing to report.
    expect(await d.diagnostics!()).toEqual([]);
    expect(await d.calls!()).toEqual([]);
    const ctx = checkCtx(served, 'poly');
    expect(await codecStatus.run({}, ctx)).toMatchObject({
      status: 'warn',
      summary: 'Poly StudioX30, software 3.12.0: asleep (ASLEEP)',
    });
    expect(await codecDiagnostics.run({}, ctx)).toMatchObject({
      status: 'pass',
      summary: 'no error-level diagnostics (0 message(s))',
    });
    expect(await codecPeripherals.run({ expect: { touch_panels: 1 } }, ctx)).toMatchObject({
      status: 'pass',
      metrics: { cameras: 1, microphones: 1, touch_panels: 1 },
      summary: '1 of 1 camera(s) and 1 of 1 microphone(s) connected, 1 of 1 touch panel(s) connected',
    });
  });

  it('RealPresence Group 500 on 6.2.2 (p10, p11, p14): its keys, its missing paths, provisioning down, the ringing call on PENDING', async () => {
    const served = await polyFixture(GROUP_500, { loginPath: '/rest/session' });
    const d = await poly(served);
    expect(await d.identify()).toEqual({
      vendor: 'Poly',
      model: 'RealPresence Group 500',
      software: 'Release - 6.2.2.8-670021',
      serial: '8215274422C5CV',
      name: 'Mividas Poly Group 500',
      awake: false,
      powerState: 'ASLEEP',
      uptimeS: 324968,
    });
    // No /rest/system/sipservers on this model: the status page's lines say it.
    expect(await d.registration!()).toEqual({
      sip: [{ protocol: 'sip', state: 'registered', raw: 'up' }],
      h323: [{ protocol: 'h323', state: 'inactive', raw: 'unknown' }],
    });
    expect(await d.peripherals!()).toEqual({
      cameras: [],
      microphones: [{ id: 'system.status.microphones', name: 'MICROPHONES', connected: true, raw: 'up' }],
      unreported: ['cameras', 'touchPanels'],
    });
    expect(await d.diagnostics!()).toEqual([
      { level: 'error', type: 'system.status.provisioning', description: 'PROVISIONING: down' },
    ]);
    // The placeholder is no call; the call ringing in on it is, with the device's own duration.
    expect(await d.calls!()).toEqual([
      {
        id: '2',
        remote: 'hdx9000@video.mividas.com',
        state: 'ringing',
        raw: 'RINGING',
        direction: 'incoming',
        protocol: 'SIP',
        rateKbps: 3796,
        durationS: 37,
      },
    ]);
    const ctx = checkCtx(served, 'poly');
    expect(await codecDiagnostics.run({}, ctx)).toMatchObject({
      status: 'fail',
      metrics: { errors: 1, warnings: 0 },
      summary: '1 error(s), 0 warning(s): system.status.provisioning: PROVISIONING: down',
    });
    expect(await codecRegistration.run({}, ctx)).toMatchObject({
      status: 'pass',
      summary: 'registered via SIP; SIP up (-)',
    });
    expect(await codecPeripherals.run({}, ctx)).toMatchObject({
      status: 'warn',
      summary: '0 of 0 camera(s) and 1 of 1 microphone(s) connected: the codec did not report cameras',
    });
  });

  it('an idle Group 500 lists only the PENDING placeholder: no call, and dial is not refused', async () => {
    const served = await polyFixture(group500Idle(), { loginPath: '/rest/session' });
    const d = await poly(served);
    expect(await d.calls!()).toEqual([]);
    if (!canCall(d)) throw new Error('poly can call');
    await expect(assertIdle(d, translator('en'))).resolves.toBeUndefined();
  });

  it('a model without the status page: diagnostics and registration are skipped as "not reported", not errors', async () => {
    const served = await polyFixture({ 'GET /rest/system': X30['GET /rest/system'] });
    const ctx = checkCtx(served, 'poly');
    expect(await codecDiagnostics.run({}, ctx)).toMatchObject({
      status: 'skip',
      summary: 'this model does not report diagnostics (/rest/system/status is not on it)',
      error: { code: 'CODEC_NOT_REPORTED' },
    });
    expect(await codecRegistration.run({}, ctx)).toMatchObject({
      status: 'skip',
      error: { code: 'CODEC_NOT_REPORTED' },
    });
  });
});

describe('poly: bad input', () => {
  it('unknown status words warn with the raw word (made safe); numbers as strings are read', async () => {
    const status = JSON.stringify([
      { langtag: 'CAMERAS_HEADING', name: 'system.status.mr.camera', stateList: ['some_up'] },
      { langtag: 'LOG_THRESHOLD', name: 'system.status.logthreshold', stateList: ['full'] },
      { langtag: 'SIP_SERVER', name: 'system.status.sipserver', stateList: ['degraded\u001b[2J'] },
      { languageTag: 'MICROPHONES', name: 'system.status.microphones', state: 'none_up' },
    ]);
    const system = JSON.stringify({
      model: 'StudioX50',
      softwareVersion: '4.1.0',
      state: 'READY',
      uptime: '120.6',
      extra: { nested: [1] },
    });
    const served = await polyFixture({ 'GET /rest/system': system, 'GET /rest/system/status': status });
    const d = await poly(served);
    expect(await d.identify()).toMatchObject({ uptimeS: 121, awake: true });
    expect(await d.diagnostics!()).toEqual([
      { level: 'warning', type: 'system.status.mr.camera', description: 'CAMERAS_HEADING: some_up' },
      { level: 'warning', type: 'system.status.logthreshold', description: 'LOG_THRESHOLD: full' },
      {
        level: 'warning',
        type: 'system.status.sipserver',
        description: 'SIP_SERVER: unknown status word "degraded[2J"',
        raw: 'degraded[2J',
      },
      { level: 'error', type: 'system.status.microphones', description: 'MICROPHONES: none_up' },
    ]);
    // none_up is not "up": the old loose match read it as connected.
    expect((await d.peripherals!()).microphones).toEqual([
      { id: 'system.status.microphones', name: 'MICROPHONES', connected: false, raw: 'none_up' },
    ]);
  });

  it('an HTML login page instead of JSON is a bad reply that says so', async () => {
    const served = await polyFixture(X30, {
      override: (r) =>
        r === 'GET /rest/system'
          ? { status: 200, body: '<html><head><title>Poly</title></head>' }
          : undefined,
    });
    const err = await rejection((await poly(served)).identify());
    expect(err.code).toBe('CODEC_BAD_REPLY');
    expect(err.message).toContain('an HTML page, not JSON: <html><head><title>Poly</title></head>');
  });

  it('401 mid-session is an auth error; 403 logs in again once, then is forbidden', async () => {
    let code = 0;
    const served = await polyFixture(X30, {
      override: (r) => (code && r === 'GET /rest/system' ? { status: code } : undefined),
    });
    const d = await poly(served);
    await d.identify();
    code = 401;
    expect((await rejection(d.identify())).code).toBe('CODEC_AUTH');
    code = 403;
    expect((await rejection(d.identify())).code).toBe('CODEC_FORBIDDEN');
    expect(await codecStatus.run({}, checkCtx(served, 'poly'))).toMatchObject({
      status: 'fail',
      error: { code: 'CODEC_FORBIDDEN' },
    });
  });
});
