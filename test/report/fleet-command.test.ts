/**
 * `diemcau report readiness|incidents|site` in-process against a registry on
 * 127.0.0.1 seeded through its API: flags → requests → renderer → stdout or file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput } from '../../src/model/incident.js';
import type { RunInput } from '../../src/model/run.js';
import { run } from '../helpers/cli.js';
import { bearer, incidentBody, post, runBody } from '../registry/fixtures.js';
import { type LiveRegistry, startRegistry, tempDir } from '../registry/live.js';

const H = 3_600_000;
let reg: LiveRegistry;
let T: number; // the report's "now"
let dir: string;
const iso = (ms: number) => new Date(ms).toISOString();

async function postRun(
  siteId: string,
  unit: string,
  verdict: RunInput['verdict'],
  atMs: number,
  failing = false,
): Promise<void> {
  const body = runBody({ siteId, unit, verdict, startedAt: iso(atMs), ...(failing ? {} : { checks: [] }) });
  const res = await reg.app.inject({
    method: 'POST',
    url: '/v1/runs',
    headers: post(reg.tokens.admin),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function postIncident(over: Partial<IncidentInput>, resolveAfterMs?: number): Promise<void> {
  const res = await reg.app.inject({
    method: 'POST',
    url: '/v1/incidents',
    headers: post(reg.tokens.admin),
    payload: incidentBody(over),
  });
  expect(res.statusCode, res.body).toBe(201);
  if (resolveAfterMs === undefined) return;
  const id = JSON.parse(res.body).id as number;
  const saved = reg.now.ms;
  reg.now.ms = Date.parse(over.occurredAt as string) + resolveAfterMs; // the server stamps the history entry
  const patch = await reg.app.inject({
    method: 'PATCH',
    url: `/v1/incidents/${id}`,
    headers: bearer(reg.tokens.admin),
    payload: { status: 'resolved' },
  });
  expect(patch.statusCode, patch.body).toBe(200);
  reg.now.ms = saved;
}

const report = (args: string[], env: Record<string, string> = {}, tty = false) =>
  run(['report', ...args, '--registry', reg.url], {
    env: { DIEMCAU_TOKEN: reg.tokens.admin, ...env },
    cwd: dir,
    stateDir: path.join(dir, 'state'),
    tty,
    columns: 160,
  });

beforeAll(async () => {
  reg = await startRegistry();
  dir = tempDir('report-cmd');
  T = Math.floor(Date.now() / H) * H;
  reg.now.ms = T;
  const site = (id: string) => ({ id, name: `UBND xã ${id}`, unit: `thanh-hoa/${id}` });
  // Two days of history, then the last runs; xa-d last ran 3 days ago (stale), xa-e never.
  for (const d of [2, 1])
    for (const id of ['xa-a', 'xa-b', 'xa-c']) await postRun(id, `thanh-hoa/${id}`, 'ready', T - d * 24 * H);
  await postRun('xa-a', 'thanh-hoa/xa-a', 'ready', T - 1 * H);
  await postRun('xa-b', 'thanh-hoa/xa-b', 'not-ready', T - 2 * H, true);
  await postRun('xa-c', 'thanh-hoa/xa-c', 'degraded', T - 3 * H);
  await postRun('xa-d', 'thanh-hoa/xa-d', 'ready', T - 72 * H);
  await postRun('nd-x', 'nghe-an/nd-x', 'ready', T - 1 * H);
  const put = await reg.app.inject({
    method: 'PUT',
    url: '/v1/sites/xa-e',
    headers: bearer(reg.tokens.admin),
    payload: { name: 'UBND xã Ê', unit: 'thanh-hoa/xa-e' },
  });
  expect(put.statusCode, put.body).toBeLessThan(300);
  // Times to resolve: 90 min and 30 min → mean 60 min; one still open.
  await postIncident(
    {
      site: site('xa-b'),
      category: 'mat_ket_noi',
      occurredAt: iso(T - 20 * H),
      summary: 'Mất kết nối, "MCU" không trả lời',
    },
    90 * 60_000,
  );
  await postIncident(
    {
      site: site('xa-c'),
      category: 'tieng_vong',
      severity: 'minor',
      occurredAt: iso(T - 10 * H),
      summary: 'Tiếng vọng',
    },
    30 * 60_000,
  );
  await postIncident({
    site: site('xa-b'),
    category: 'mat_ket_noi',
    occurredAt: iso(T - 2 * H),
    summary: 'Lại mất kết nối',
  });
});

afterAll(async () => {
  await reg?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('report readiness', () => {
  it('piped, --format tsv: tab-separated rows, worst first, exit 0', async () => {
    const r = await report(['readiness', '--unit', 'thanh-hoa', '--format', 'tsv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t').slice(0, 2).join(' ')),
    ).toEqual(['not-ready xa-b', 'degraded xa-c', 'stale xa-d', 'never xa-e', 'ready xa-a']);
  });
  it('piped, the default format is still a table (no colour), not tab-separated', async () => {
    for (const args of [[], ['--format', 'table']]) {
      const r = await report(['readiness', '--unit', 'thanh-hoa', ...args], { DIEMCAU_LANG: 'en' });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('\t');
      expect(r.stdout).not.toContain('\x1b[');
      expect(r.stdout).toMatch(/^STATE +SITE +NAME/m);
    }
  });
  it('on a terminal, in Vietnamese: the aligned table and the summary line', async () => {
    const r = await report(['readiness', '--unit', 'thanh-hoa'], { DIEMCAU_LANG: 'vi', NO_COLOR: '1' }, true);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Báo cáo tình trạng sẵn sàng của các điểm cầu · đơn vị thanh-hoa');
    // xa-e never reported: its own state since issue 15, after the stale xa-d.
    expect(r.stdout).toContain(
      '5 điểm cầu: 1 sẵn sàng, 1 có cảnh báo, 1 chưa sẵn sàng, 1 không báo cáo, 1 chưa từng báo cáo',
    );
    expect(r.stdout).toMatch(
      /\n✗ chưa sẵn sàng {6}xa-b {6}Site xa-b {2}thanh-hoa\/xa-b {2}\d\d:\d\d \d\d\/\d\d\/\d{4} {3}sip-port +1\n/,
    );
    // The open-incident column (xa-b has one open incident here).
    expect(r.stdout).toMatch(/ OPEN\n|SỰ CỐ MỞ\n/);
    expect(r.stdout).toMatch(/\n· chưa từng báo cáo {2}xa-e {6}UBND xã Ê {2}thanh-hoa\/xa-e {2}—\n/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
  it('--since moves the stale cut-off', async () => {
    const r = await report(['readiness', '--unit', 'thanh-hoa', '--since', '4d', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('diemcau/report-readiness@1');
    // xa-d ran 3 days ago: within 4 days; xa-e never reported (counted apart since issue 15).
    expect(doc.readiness.counts).toMatchObject({ sites: 5, stale: 0, never: 1, ready: 2 });
    expect(doc.daily).toBeUndefined();
  });
  it('json with --days carries the sites × days grid', async () => {
    const doc = JSON.parse(
      (await report(['readiness', '--unit', 'thanh-hoa', '--days', '3', '--format', 'json'])).stdout,
    );
    expect(doc.daily.days).toHaveLength(3);
    const grid = Object.fromEntries(
      doc.daily.sites.map((s: { id: string; verdicts: unknown[] }) => [s.id, s.verdicts]),
    );
    expect(Object.keys(grid).sort()).toEqual(['xa-a', 'xa-b', 'xa-c', 'xa-d', 'xa-e']);
    expect(grid['xa-b']).toContain('not-ready');
    expect(grid['xa-b']).toContain('ready');
    expect(grid['xa-e']).toEqual([null, null, null]);
  });
  it('csv with a BOM to a file; the file is written whole and stderr says where', async () => {
    const r = await report(['readiness', '--unit', 'thanh-hoa', '--format', 'csv', '--bom', '-o', 'r.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('wrote the csv report to r.csv\n');
    const text = fs.readFileSync(path.join(dir, 'r.csv'), 'utf8');
    expect(
      text.startsWith(
        '\uFEFFsite_id,site_name,unit,state,state_label,verdict,last_run_at,run_id,failing,stale,technician,phone,open_incidents,maintenance_until,maintenance_reason\r\n',
      ),
    ).toBe(true);
    expect(text.split('\r\n')).toHaveLength(1 + 5 + 1);
  });
  it('html: the heatmap from each site runs over 7 days, and the incidents of those days', async () => {
    const r = await report(['readiness', '--unit', 'thanh-hoa', '--format', 'html', '-o', 'r.html'], {
      DIEMCAU_LANG: 'vi',
    });
    expect(r.code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<html lang="vi">');
    const fig = html.slice(html.indexOf('<figure class="hm"'), html.indexOf('</figure>'));
    expect(fig.split('<rect').length - 1).toBe(5 * 7);
    expect(fig).toMatch(/<title>xa-b · \d{4}-\d{2}-\d{2}: chưa sẵn sàng<\/title>/);
    expect(fig.split('class="r"').length - 1).toBeGreaterThanOrEqual(3 + 3 + 1); // two days of three ready sites, xa-a today
    const incidents = html.slice(
      html.indexOf('<table id="incidents-table">'),
      html.indexOf('</table>', html.indexOf('<table id="incidents-table">')),
    );
    expect(incidents.split('<tr').length - 1).toBe(1 + 3);
  });
});

describe('report incidents', () => {
  it('json: all incidents with the summary; mean time to resolve (90 + 30) / 2 = 60 min', async () => {
    const r = await report(['incidents', '--unit', 'thanh-hoa', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('diemcau/report-incidents@1');
    expect(doc.incidents).toHaveLength(3);
    expect(doc.summary.resolve).toEqual({
      count: 2,
      meanMs: 60 * 60_000,
      medianMs: 60 * 60_000,
      maxMs: 90 * 60_000,
    });
    expect(doc.summary.byCategory).toEqual([
      { category: 'mat_ket_noi', count: 2 },
      { category: 'tieng_vong', count: 1 },
    ]);
  });
  it('filters by status, category and since; table on a terminal', async () => {
    const resolved = JSON.parse(
      (await report(['incidents', '--status', 'resolved', '--format', 'json'])).stdout,
    );
    expect(resolved.incidents.map((i: { status: string }) => i.status)).toEqual(['resolved', 'resolved']);
    const echo = JSON.parse(
      (await report(['incidents', '--category', 'tieng_vong', '--format', 'json'])).stdout,
    );
    expect(echo.incidents).toHaveLength(1);
    const recent = JSON.parse((await report(['incidents', '--since', '5h', '--format', 'json'])).stdout);
    expect(recent.incidents.map((i: { summary: string }) => i.summary)).toEqual(['Lại mất kết nối']);
    const table = await report(['incidents'], {}, true);
    expect(table.stdout).toContain(
      'Mean time to resolve: 1 h 0 min (median 1 h 0 min, longest 1 h 30 min; 2 resolved)',
    );
  });
  it('csv keeps the quotes of a summary', async () => {
    const r = await report(['incidents', '--format', 'csv']);
    expect(r.stdout).toContain('"Mất kết nối, ""MCU"" không trả lời"');
  });
});

describe('report site', () => {
  it('json: its runs in the window and its incidents', async () => {
    const r = await report(['site', 'xa-b', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('diemcau/report-site@1');
    expect(doc.site).toEqual({ id: 'xa-b', name: 'Site xa-b', unit: 'thanh-hoa/xa-b' });
    expect(doc.runs.map((x: { verdict: string }) => x.verdict)).toEqual(['not-ready', 'ready', 'ready']);
    expect(doc.incidents).toHaveLength(2);
    const recent = JSON.parse((await report(['site', 'xa-b', '--since', '1d', '--format', 'json'])).stdout);
    expect(recent.runs).toHaveLength(1);
  });
});

describe('report errors', () => {
  it('an unknown site, a token outside its unit, no token, a bad format: exit 3 with the reason', async () => {
    const unknown = await report(['site', 'no-such-site']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no site no-such-site');
    const outside = await report(['readiness', '--unit', 'nghe-an'], {
      DIEMCAU_TOKEN: reg.tokens.viewerProvince,
    });
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toContain('this token may read unit thanh-hoa only, not unit nghe-an');
    const format = await report(['readiness', '--format', 'xml']);
    expect(format.code).toBe(3);
    expect(format.stderr).toContain('--format');
    const noToken = await report(['readiness'], { DIEMCAU_TOKEN: '' });
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain('DIEMCAU_TOKEN');
  });
});
