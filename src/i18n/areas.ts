/** Every area's messages. Add an area: one import, one entry. */

import * as alertRules from './messages/alert-rules.js';
import * as alerts from './messages/alerts.js';
import * as api from './messages/api.js';
import * as av from './messages/av.js';
import * as check from './messages/check.js';
import * as cli from './messages/cli.js';
import * as codec from './messages/codec.js';
import * as demo from './messages/demo.js';
import * as meeting from './messages/meeting.js';
import * as meetingAfter from './messages/meeting-after.js';
import * as meetingConfirm from './messages/meeting-confirm.js';
import * as meetingDay from './messages/meeting-day.js';
import * as net from './messages/net.js';
import * as netq from './messages/netq.js';
import * as power from './messages/power.js';
import * as profile from './messages/profile.js';
import * as refusal from './messages/refusal.js';
import * as registry from './messages/registry.js';
import * as report from './messages/report.js';
import * as reports from './messages/reports.js';
import * as site from './messages/site.js';

export const areas = [
  cli,
  profile,
  check,
  net,
  report,
  power,
  netq,
  av,
  codec,
  refusal,
  registry,
  api,
  reports,
  demo,
  alerts,
  meetingDay,
  meeting,
  meetingAfter,
  site,
  alertRules,
  meetingConfirm,
] as const;

export type Area = (typeof areas)[number];
