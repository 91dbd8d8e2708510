/**
 * Alert rules, channels, the alert log and maintenance windows (docs/alerts.md,
 * docs/registry-api.md): admin tokens change them; rules and channels given by
 * `registry serve --alerts FILE` are read-only here (the file wins).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type ConfigProblem, checkChannel, checkRule } from '../../alerts/config.js';
import { translator } from '../../i18n/index.js';
import {
  AlertChannel,
  AlertConfigView,
  AlertLog,
  AlertRule,
  AlertTestResult,
  DELIVERY_STATES,
  MaintenanceInput,
  MaintenanceList,
  MaintenanceWindow,
} from '../../model/alert-rule.js';
import { Id, SiteId, UnitPrefix } from '../../model/atoms.js';
import { literals } from '../../model/schema-tools.js';
import { formatPath } from '../../profile/position.js';
import type { Principal } from '../auth.js';
import { assertRead, readScope } from '../auth.js';
import { badRequest, conflict, forbidden, notFound } from '../http-error.js';
import { IdParam } from '../schemas.js';
import { errors, security, timeOf } from './common.js';

const NameParam = Type.Object({ id: Id }, { additionalProperties: false });
const LogQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    site: Type.Optional(SiteId),
    rule: Type.Optional(Id),
    delivery: Type.Optional(literals(DELIVERY_STATES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);
const Removed = Type.Object({ removed: Type.String() });
const TestBody = Type.Object({ site: Type.Optional(SiteId) }, { additionalProperties: false });
const MaintenanceQuery = Type.Object(
  { unit: Type.Optional(UnitPrefix), all: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/** An admin token, over `unit` (a global admin for '' : channels and global rules). */
function assertAdmin(p: Principal, unit: string): void {
  if (p.role !== 'admin')
    throw forbidden('alert rules, channels and maintenance windows need an admin token');
  assertRead(p, unit);
}

const problem = (p: ConfigProblem, body: string) =>
  badRequest(`${body}.${formatPath(p.path)}`.replace(/\.$/, ''), translator('en')(p.key, p.params));

export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;
  const { store } = registry;
  const alerts = registry.alerts;
  const fromFile = () => {
    if (alerts.source === 'file')
      throw conflict('alerts_from_file', 'rules and channels come from the --alerts file of this registry');
  };
  const reload = async () => {
    store.alerts.config = await store.alerts.loadConfig();
  };
  const tag = { tags: ['alerts'], security };

  app.get(
    '/v1/alerts/config',
    {
      schema: {
        operationId: 'alertConfig',
        summary: 'Alert rules and channels in force',
        ...tag,
        response: { 200: AlertConfigView, ...errors(401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      assertAdmin(req.principal, '');
      return { source: alerts.source, ...store.alerts.config };
    },
  );

  app.put(
    '/v1/alerts/rules/:id',
    {
      schema: {
        operationId: 'putAlertRule',
        summary: 'Add or replace an alert rule',
        ...tag,
        params: NameParam,
        body: AlertRule,
        response: { 200: AlertRule, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const rule = req.body;
      assertAdmin(req.principal, rule.unit ?? '');
      fromFile();
      if (rule.id !== req.params.id)
        throw badRequest('body.id', `must be the id in the path (${req.params.id})`);
      const config = await store.alerts.loadConfig();
      const p = checkRule(rule, new Set(config.channels.map((c) => c.id)), []);
      if (p) throw problem(p, 'body');
      await store.alerts.putRule(rule, registry.now());
      await reload();
      return rule;
    },
  );

  app.delete(
    '/v1/alerts/rules/:id',
    {
      schema: {
        operationId: 'removeAlertRule',
        summary: 'Remove an alert rule',
        ...tag,
        params: NameParam,
        response: { 200: Removed, ...errors(401, 403, 404, 409) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const rule = store.alerts.config.rules.find((r) => r.id === req.params.id);
      assertAdmin(req.principal, rule?.unit ?? '');
      fromFile();
      if (!(await store.alerts.removeRule(req.params.id))) throw notFound(`no rule ${req.params.id}`);
      await reload();
      return { removed: req.params.id };
    },
  );

  app.put(
    '/v1/alerts/channels/:id',
    {
      schema: {
        operationId: 'putAlertChannel',
        summary: 'Add or replace an alert channel (secrets as ${ENV} references)',
        ...tag,
        params: NameParam,
        body: AlertChannel,
        response: { 200: AlertChannel, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const channel = req.body as AlertChannel;
      assertAdmin(req.principal, '');
      fromFile();
      if (channel.id !== req.params.id)
        throw badRequest('body.id', `must be the id in the path (${req.params.id})`);
      const p = checkChannel(channel, await alerts.lookup(channel.kind), []);
      if (p) throw problem(p, 'body');
      await store.alerts.putChannel(channel, registry.now());
      await reload();
      return channel;
    },
  );

  app.delete(
    '/v1/alerts/channels/:id',
    {
      schema: {
        operationId: 'removeAlertChannel',
        summary: 'Remove an alert channel no rule uses',
        ...tag,
        params: NameParam,
        response: { 200: Removed, ...errors(401, 403, 404, 409) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      assertAdmin(req.principal, '');
      fromFile();
      const config = await store.alerts.loadConfig();
      const users = config.rules.filter((r) => r.channels.includes(req.params.id)).map((r) => r.id);
      if (users.length)
        throw conflict('channel_in_use', `channel ${req.params.id} is used by rule(s) ${users.join(', ')}`);
      if (!(await store.alerts.removeChannel(req.params.id))) throw notFound(`no channel ${req.params.id}`);
      await reload();
      return { removed: req.params.id };
    },
  );

  /** Queue a test message and wait (briefly) for the worker to send it. */
  const test = async (ruleId: string, channels: string[], siteId: string | undefined) => {
    const site = siteId ? await store.getSite(siteId) : undefined;
    if (siteId && !site) throw notFound(`no site ${siteId}`);
    const ids = await store.alerts.queueTest(
      ruleId,
      channels,
      { id: site?.id ?? 'test', unit: site?.unit ?? 'test' },
      registry.now(),
    );
    const until = Date.now() + alerts.testWaitMs;
    for (;;) {
      const items = await store.alerts.deliveries(ids);
      if (
        Date.now() >= until ||
        items.every((i) => i.delivery !== 'pending' || (i.attempts > 0 && i.error !== null))
      )
        return { items };
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  app.post(
    '/v1/alerts/rules/:id/test',
    {
      schema: {
        operationId: 'testAlertRule',
        summary: "Send a test message through a rule's channels",
        ...tag,
        params: NameParam,
        body: TestBody,
        response: { 200: AlertTestResult, ...errors(400, 401, 403, 404, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const rule = store.alerts.config.rules.find((r) => r.id === req.params.id);
      assertAdmin(req.principal, rule?.unit ?? '');
      if (!rule) throw notFound(`no rule ${req.params.id}`);
      return test(rule.id, rule.channels, req.body.site);
    },
  );

  app.post(
    '/v1/alerts/channels/:id/test',
    {
      schema: {
        operationId: 'testAlertChannel',
        summary: 'Send a test message to a channel',
        ...tag,
        params: NameParam,
        body: TestBody,
        response: { 200: AlertTestResult, ...errors(400, 401, 403, 404, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      assertAdmin(req.principal, '');
      if (!store.alerts.config.channels.some((c) => c.id === req.params.id))
        throw notFound(`no channel ${req.params.id}`);
      return test('test', [req.params.id], req.body.site);
    },
  );

  app.get(
    '/v1/alerts/log',
    {
      schema: {
        operationId: 'alertLog',
        summary: 'What was sent, to which channel, and the delivery state (newest first)',
        ...tag,
        querystring: LogQuery,
        response: { 200: AlertLog, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const q = req.query;
      const unitPrefix = readScope(req.principal, q.unit);
      const items = await store.alerts.log({
        unitPrefix,
        limit: q.limit ?? 100,
        ...(q.site ? { site: q.site } : {}),
        ...(q.rule ? { rule: q.rule } : {}),
        ...(q.delivery ? { delivery: q.delivery } : {}),
      });
      return { items };
    },
  );

  app.get(
    '/v1/maintenance',
    {
      schema: {
        operationId: 'listMaintenance',
        summary: 'Maintenance windows (current and planned; all with all=true)',
        tags: ['maintenance'],
        security,
        querystring: MaintenanceQuery,
        response: { 200: MaintenanceList, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const unitPrefix = readScope(req.principal, req.query.unit);
      const now = registry.now();
      return {
        items: await store.alerts.listMaintenance(
          { unitPrefix, ...(req.query.all ? {} : { currentAt: now }) },
          now,
        ),
      };
    },
  );

  app.post(
    '/v1/maintenance',
    {
      schema: {
        operationId: 'addMaintenance',
        summary: 'Plan a maintenance window: alerts for the sites it covers are held',
        tags: ['maintenance'],
        security,
        body: MaintenanceInput,
        response: { 201: MaintenanceWindow, ...errors(400, 401, 403, 404, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const b = req.body;
      if ((b.unit === undefined) === (b.site === undefined))
        throw badRequest('unit', 'give unit or site (one of them)');
      let unit = b.unit ?? '';
      if (b.site) {
        const site = await store.getSite(b.site);
        if (!site) throw notFound(`no site ${b.site}`);
        unit = site.unit;
      }
      assertAdmin(req.principal, unit);
      const now = registry.now();
      const from = timeOf('from', b.from, now);
      const to = Date.parse(b.to);
      if (!(to > from)) throw badRequest('to', 'must be after from');
      const known = store.alerts.config.channels.map((c) => c.id);
      const unknown = (b.notify ?? []).find((id) => !known.includes(id));
      if (unknown !== undefined)
        throw badRequest(
          'notify',
          translator('en')('alerting.err.unknown_channel', { id: unknown, known: known.join(', ') || '-' }),
        );
      const w = await store.alerts.addMaintenance(b, req.principal.label, now);
      return reply.code(201).send(w);
    },
  );

  app.post(
    '/v1/maintenance/:id/end',
    {
      schema: {
        operationId: 'endMaintenance',
        summary: 'End a maintenance window now',
        tags: ['maintenance'],
        security,
        params: IdParam,
        response: { 200: MaintenanceWindow, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const all = await store.alerts.listMaintenance({ unitPrefix: '' }, registry.now());
      const w = all.find((x) => x.id === req.params.id);
      if (!w) throw notFound(`no maintenance window ${req.params.id}`);
      assertAdmin(req.principal, w.unit ?? (w.site ? ((await store.getSite(w.site))?.unit ?? '') : ''));
      return (await store.alerts.endMaintenance(req.params.id, registry.now())) as MaintenanceWindow;
    },
  );
};
