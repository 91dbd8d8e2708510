import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { SiteRun } from '../../src/engine/run.js';
import { translator } from '../../src/i18n/index.js';
import { renderHuman } from '../../src/report/human.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { formatMetric, formatNumber, prometheusMetric } from '../../src/report/metrics.js';
import { nagiosRange, renderNagios } from '../../src/report/nagios.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderTap } from '../../src/report/tap.js';
import type { RenderOptions } from '../../src/report/types.js';
import { sampleReport, sweepReport } from './sample.js';

const en: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };
const vi: RenderOptions = { ...en, t: translator('vi'), locale: 'vi' };

describe('human', () => {
  it('draws an aligned table with hints under failed and warned checks (English)', () => {
    expect(renderHuman(sampleReport, en)).toMatchInlineSnapshot(`
      "Site th-bimson-ubnd: Hội trường UBND thị xã Bỉm Sơn (thanh-hoa/bim-son/ubnd)
        STATUS     CHECK      RESULT                                 MEASURED
        ! warning  mcu-ping   20/20 replies, avg 180 ms              rtt 180 ms · jitter 3.25 ms
            → The line to the MCU is slow: tell the provincial IT centre.
        ✗ fail     sip-port   port 5060 refused the connection
            → Check the firewall & the "SIP" port <5060>.
        ✓ pass     portal     HTTP 200 in 35 ms                      status 200 · ttfb 35 ms
        – skipped  test-call  skipped: needs sip-port to pass first
      Verdict: NOT READY (1 passed, 1 warnings, 1 failed, 0 errors, 1 skipped) in 2.3 s
      Need help? Call the focal point: Trung tâm CNTT tỉnh, 0237 385 0000
      "
    `);
  });
  it('speaks Vietnamese with the technicians words, diacritics aligned', () => {
    expect(renderHuman(sampleReport, vi)).toMatchInlineSnapshot(`
      "Điểm cầu th-bimson-ubnd: Hội trường UBND thị xã Bỉm Sơn (thanh-hoa/bim-son/ubnd)
        TRẠNG THÁI   MỤC KIỂM TRA  KẾT QUẢ                                SỐ ĐO
        ! cảnh báo   mcu-ping      20/20 replies, avg 180 ms              trễ 180 ms · dao động 3.25 ms
            → The line to the MCU is slow: tell the provincial IT centre.
        ✗ không đạt  sip-port      port 5060 refused the connection
            → Check the firewall & the "SIP" port <5060>.
        ✓ đạt        portal        HTTP 200 in 35 ms                      mã 200 · byte đầu 35 ms
        – bỏ qua     test-call     skipped: needs sip-port to pass first
      Kết luận: CHƯA SẴN SÀNG (1 đạt, 1 cảnh báo, 1 không đạt, 0 lỗi, 1 bỏ qua) trong 2.3 s
      Cần hỗ trợ, gọi đầu mối: Trung tâm CNTT tỉnh, 0237 385 0000
      "
    `);
  });
  it('prints tab-separated rows when piped', () => {
    expect(renderHuman(sampleReport, { ...en, tty: false })).toMatchInlineSnapshot(`
      "th-bimson-ubnd	mcu-ping	ping	warn	20/20 replies, avg 180 ms	rtt 180 ms · jitter 3.25 ms	The line to the MCU is slow: tell the provincial IT centre.
      th-bimson-ubnd	sip-port	tcp	fail	port 5060 refused the connection		Check the firewall & the "SIP" port <5060>.
      th-bimson-ubnd	portal	http	pass	HTTP 200 in 35 ms	status 200 · ttfb 35 ms	
      th-bimson-ubnd	test-call	test-call	skip	skipped: needs sip-port to pass first		
      th-bimson-ubnd	-	-	not-ready	NOT READY		
      "
    `);
  });
  it('adds a sweep summary line for many sites and shows sites that could not be checked', () => {
    expect(renderHuman(sweepReport, vi)).toMatchInlineSnapshot(`
      "Điểm cầu th-bimson-ubnd: Hội trường UBND thị xã Bỉm Sơn (thanh-hoa/bim-son/ubnd)
        TRẠNG THÁI   MỤC KIỂM TRA  KẾT QUẢ                                SỐ ĐO
        ! cảnh báo   mcu-ping      20/20 replies, avg 180 ms              trễ 180 ms · dao động 3.25 ms
            → The line to the MCU is slow: tell the provincial IT centre.
        ✗ không đạt  sip-port      port 5060 refused the connection
            → Check the firewall & the "SIP" port <5060>.
        ✓ đạt        portal        HTTP 200 in 35 ms                      mã 200 · byte đầu 35 ms
        – bỏ qua     test-call     skipped: needs sip-port to pass first
      Kết luận: CHƯA SẴN SÀNG (1 đạt, 1 cảnh báo, 1 không đạt, 0 lỗi, 1 bỏ qua) trong 2.3 s
      Cần hỗ trợ, gọi đầu mối: Trung tâm CNTT tỉnh, 0237 385 0000

      Điểm cầu th-xa-b: UBND xã B (thanh-hoa/xa-b)
        TRẠNG THÁI  MỤC KIỂM TRA  KẾT QUẢ                   SỐ ĐO
        ✓ đạt       mcu-ping      20/20 replies, avg 12 ms  trễ 12 ms · mất gói 0%
      Kết luận: SẴN SÀNG (1 đạt, 0 cảnh báo, 0 không đạt, 0 lỗi, 0 bỏ qua) trong 1.0 s

      Điểm cầu broken: profiles/broken.yaml
        ✗ không kiểm tra được điểm cầu này: profiles/broken.yaml:3:9: site.unit: required field is missing
      Kết luận: KHÔNG KIỂM TRA ĐƯỢC (0 đạt, 0 cảnh báo, 0 không đạt, 0 lỗi, 0 bỏ qua) trong 0 ms

      3 điểm cầu: 1 sẵn sàng, 0 có cảnh báo, 1 chưa sẵn sàng, 1 không kiểm tra được
      "
    `);
  });
  it('uses colour only when allowed', () => {
    expect(renderHuman(sampleReport, en)).not.toMatch(/\u001b\[/);
    expect(renderHuman(sampleReport, { ...en, color: true })).toMatch(/\u001b\[/);
  });
});

describe('json', () => {
  it('is the documented diemcau/run@2 document', () => {
    const doc = JSON.parse(renderJson(sampleReport));
    expect(doc).toEqual(sampleReport);
    expect(Object.keys(doc)).toEqual(['schema', 'tool', 'startedAt', 'durationMs', 'verdict', 'sites']);
    expect(Object.keys(doc.sites[0].checks[0])).toEqual(
      expect.arrayContaining([
        'id',
        'kind',
        'status',
        'required',
        'summary',
        'metrics',
        'startedAt',
        'durationMs',
        'attempts',
      ]),
    );
    // @2: every limit says whether it is a maximum or a minimum.
    expect(doc.sites[0].checks[0].limits).toEqual({
      warn: { rtt_ms: { max: 150 }, loss_pct: { max: 1 } },
      fail: { rtt_ms: { max: 400 }, loss_pct: { max: 3 } },
    });
  });
});

describe('nagios', () => {
  it('one status line with perfdata, then long text listing what is not OK', () => {
    expect(renderNagios(sampleReport, en)).toMatchInlineSnapshot(`
      "DIEMCAU CRITICAL - th-bimson-ubnd: NOT READY (mcu-ping, sip-port) | 'mcu-ping.rtt'=180.4ms;150;400;0 'mcu-ping.jitter'=3.25ms;;;0 'mcu-ping.loss'=0%;1;3;0;100 'portal.status'=200 'portal.ttfb'=35ms;;;0
      [WARN] mcu-ping: 20/20 replies, avg 180 ms
      [FAIL] sip-port: port 5060 refused the connection
      [SKIP] test-call: skipped: needs sip-port to pass first
      1 check(s) OK
      "
    `);
  });
  it('a sweep puts the worst site first, lists only sites not ready, and counts in perfdata', () => {
    expect(renderNagios(sweepReport, en)).toMatchInlineSnapshot(`
      "DIEMCAU CRITICAL - th-bimson-ubnd: NOT READY (mcu-ping, sip-port); 3 site(s): 1 ready, 0 with warnings, 1 not ready, 1 could not be checked | sites=3 ready=1 degraded=0 not_ready=1 unknown=1 duration=2.345s
      [CRITICAL] th-bimson-ubnd: NOT READY (mcu-ping, sip-port)
      [UNKNOWN] broken: COULD NOT CHECK - profiles/broken.yaml:3:9: site.unit: required field is missing
      1 site(s) ready
      "
    `);
  });
  it('results that could not be delivered make the run a WARNING at least', () => {
    const ready = { ...sweepReport, verdict: 'ready' as const, sites: [sweepReport.sites[1] as SiteRun] };
    expect(renderNagios(ready, { ...en, upload: { sent: 0, queued: 1 } })).toMatchInlineSnapshot(`
      "DIEMCAU WARNING - th-xa-b: READY; 1 result(s) not delivered to the registry, queued in the outbox | 'mcu-ping.rtt'=12ms;;;0 'mcu-ping.loss'=0%;;;0;100 queued=1;0
      1 check(s) OK
      "
    `);
  });
  it('perfdata follows the Monitoring Plugins grammar', () => {
    const first = renderNagios(sampleReport, en).split('\n')[0] as string;
    const perf = first.split(' | ')[1]?.split(' ') ?? [];
    expect(perf.length).toBeGreaterThan(0);
    const range = '(@?(~|-?[0-9.]+)?:?(-?[0-9.]+)?)';
    for (const p of perf)
      expect(p).toMatch(new RegExp(`^'[^']+'=[-0-9.]+(ms|s|%|B|)(;${range}?){0,2}(;[-0-9.]*){0,2}$`));
  });
  it('writes a minimum as `N:`, a maximum as `N` (or `~:N` when the figure can be negative)', () => {
    expect(nagiosRange(2, 'min', true)).toBe('2:');
    expect(nagiosRange(-60, 'min', false)).toBe('-60:');
    expect(nagiosRange(150, 'max', true)).toBe('150');
    expect(nagiosRange(-1, 'max', false)).toBe('~:-1');
    expect(nagiosRange(0.1, 'max', false)).toBe('~:0.1');
  });
  it('replaces `|` in text, which would start perfdata', () => {
    const piped = structuredClone(sampleReport);
    (piped.sites[0]?.checks[1] as { summary: string }).summary = 'a | b';
    const out = renderNagios(piped, en);
    expect(out).toContain('[FAIL] sip-port: a ¦ b\n');
    expect(out.split('\n')[0]?.split('|')).toHaveLength(2);
  });
});

describe('prometheus', () => {
  it('declares each family once, in base units, with site and sweep labels and a timestamp', () => {
    const text = renderPrometheus(sampleReport, { ...en, sweep: 'thanh-hoa' });
    expect(text).toContain(
      'diemcau_ping_rtt_seconds{site="th-bimson-ubnd",check="mcu-ping",kind="ping",sweep="thanh-hoa"} 0.1804\n',
    );
    expect(text).toContain(
      'diemcau_ping_loss_ratio{site="th-bimson-ubnd",check="mcu-ping",kind="ping",sweep="thanh-hoa"} 0\n',
    );
    expect(text).toContain(
      'diemcau_http_status{site="th-bimson-ubnd",check="portal",kind="http",sweep="thanh-hoa"} 200\n',
    );
    // One series per state, 1 for the current one.
    for (const status of ['pass', 'warn', 'fail', 'skip', 'error'])
      expect(text).toContain(
        `diemcau_check_status{site="th-bimson-ubnd",check="sip-port",kind="tcp",required="true",status="${status}",sweep="thanh-hoa"} ${status === 'fail' ? 1 : 0}\n`,
      );
    expect(text).toContain(
      'diemcau_site_verdict{site="th-bimson-ubnd",unit="thanh-hoa/bim-son/ubnd",verdict="not-ready",sweep="thanh-hoa"} 1\n',
    );
    expect(text).toContain(
      'diemcau_site_verdict{site="th-bimson-ubnd",unit="thanh-hoa/bim-son/ubnd",verdict="ready",sweep="thanh-hoa"} 0\n',
    );
    expect(text).toContain(
      'diemcau_last_run_timestamp_seconds{site="th-bimson-ubnd",unit="thanh-hoa/bim-son/ubnd",sweep="thanh-hoa"} 1795568402.3\n',
    );
    expect(text).toContain('diemcau_run_duration_seconds{sweep="thanh-hoa"} 2.345\n');
    expect(text).not.toContain('diemcau_upload_queued');
    expect(renderPrometheus(sampleReport, { ...en, upload: { sent: 0, queued: 1 } })).toContain(
      'diemcau_upload_queued{sweep="diemcau"} 1\n',
    );
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z]+="[^"]*"(,[a-z]+="[^"]*")*\})? -?[0-9.e+]+)$/,
      );
    }
  });
  it('escapes label values', () => {
    const weird = structuredClone(sampleReport);
    (weird.sites[0] as { site: { id: string } }).site.id = 'a"b\\c';
    expect(renderPrometheus(weird, en)).toContain('site="a\\"b\\\\c"');
  });
});

describe('junit', () => {
  it('a testsuite per site and a testcase per check, with failures, errors and skips', () => {
    const xml = renderJunit(sweepReport, en);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['th-bimson-ubnd', 'th-xa-b', 'broken']);
    // `skipped` is counted per suite: the Jenkins xUnit schema has no such attribute on <testsuites>.
    expect(doc.testsuites).toMatchObject({ tests: '6', failures: '1', errors: '1' });
    expect(doc.testsuites.skipped).toBeUndefined();
    expect(suites[0]).toMatchObject({ tests: '4', failures: '1', errors: '0', skipped: '1' });
    const cases = suites[0].testcase;
    expect(cases.map((c: { name: string }) => c.name)).toEqual([
      'mcu-ping',
      'sip-port',
      'portal',
      'test-call',
    ]);
    expect(cases[1].failure.message).toBe('port 5060 refused the connection');
    expect(cases[1].failure['#text']).toBe(
      'port 5060 refused the connection\nhint: Check the firewall & the "SIP" port <5060>.',
    );
    expect(cases[3].skipped.message).toBe('skipped: needs sip-port to pass first');
    expect(suites[2].testcase.error.type).toBe('PROFILE_INVALID');
  });
});

describe('tap', () => {
  it('is TAP version 14 with a subtest per site', () => {
    expect(renderTap(sweepReport, en)).toMatchInlineSnapshot(`
      "TAP version 14
      1..3
      # Subtest: th-bimson-ubnd
          1..4
          ok 1 - mcu-ping: 20/20 replies, avg 180 ms
            ---
            kind: ping
            status: warn
            required: true
            duration_ms: 2100
            attempts: 1
            metrics:
              rtt_ms: 180.4
              jitter_ms: 3.25
              loss_pct: 0
            hint: "The line to the MCU is slow: tell the provincial IT centre."
            ...
          not ok 2 - sip-port: port 5060 refused the connection
            ---
            kind: tcp
            status: fail
            required: true
            duration_ms: 4
            attempts: 2
            error:
              code: ECONNREFUSED
              message: connection refused
              hint: Check the firewall & the "SIP" port <5060>.
            ...
          ok 3 - portal: HTTP 200 in 35 ms
            ---
            kind: http
            status: pass
            required: false
            duration_ms: 36
            attempts: 1
            metrics:
              status: 200
              ttfb_ms: 35
            ...
          ok 4 - test-call: skipped: needs sip-port to pass first # SKIP skipped: needs sip-port to pass first
            ---
            kind: test-call
            status: skip
            required: false
            duration_ms: 0
            attempts: 0
            error:
              code: NEEDS_NOT_MET
              message: "skipped: needs sip-port to pass first"
            ...
      not ok 1 - th-bimson-ubnd: NOT READY
      # Subtest: th-xa-b
          1..1
          ok 1 - mcu-ping: 20/20 replies, avg 12 ms
            ---
            kind: ping
            status: pass
            required: true
            duration_ms: 1000
            attempts: 1
            metrics:
              rtt_ms: 12
              loss_pct: 0
            ...
      ok 2 - th-xa-b: READY
      # Subtest: broken
          1..0 # SKIP profiles/broken.yaml:3:9: site.unit: required field is missing
      not ok 3 - broken: COULD NOT CHECK
      "
    `);
  });
});

describe('metric helpers', () => {
  it('formats numbers and units', () => {
    expect(formatNumber(180.4)).toBe('180');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(3.25)).toBe('3.25');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(100)).toBe('100');
    expect(formatMetric('rtt_ms', 12.34)).toBe('rtt 12.3 ms');
    expect(formatMetric('loss_pct', 0.5)).toBe('loss 0.5%');
    expect(formatMetric('down_mbps', 20)).toBe('down 20 Mbps');
    expect(prometheusMetric('rtt_ms', 12)).toEqual({ name: 'rtt_seconds', value: 0.012 });
    expect(prometheusMetric('loss_pct', 50)).toEqual({ name: 'loss_ratio', value: 0.5 });
    expect(prometheusMetric('down_mbps', 2)).toEqual({ name: 'down_bytes_per_second', value: 250_000 });
  });
});
