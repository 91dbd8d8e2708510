/**
 * The IT centre's spreadsheet (docs/sites.md): which header names mean which
 * register field, in Vietnamese (with or without diacritics) and English, and
 * a row turned into a register entry. An empty cell is a field left out.
 */
import type { SiteBatchItem } from '../../model/site.js';

export const CSV_FIELDS = [
  'id',
  'name',
  'unit',
  'level',
  'address',
  'technician',
  'technician_phone',
  'technician_email',
  'technician_zalo',
  'focal_point',
  'focal_point_phone',
  'focal_point_email',
  'focal_point_zalo',
  'codec_driver',
  'codec_model',
  'bridge',
  'meeting_hours',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Header names, written as people write them; matched without case, diacritics or extra spaces. */
export const CSV_HEADERS: Record<CsvField, readonly string[]> = {
  id: ['id', 'site_id', 'site id', 'mã điểm cầu', 'mã'],
  name: ['name', 'site_name', 'site name', 'tên điểm cầu', 'tên'],
  unit: ['unit', 'đơn vị'],
  level: ['level', 'cấp'],
  address: ['address', 'địa chỉ'],
  technician: ['technician', 'kỹ thuật viên'],
  technician_phone: ['technician_phone', 'technician phone', 'điện thoại kỹ thuật viên', 'sđt kỹ thuật viên'],
  technician_email: ['technician_email', 'technician e-mail', 'technician email', 'email kỹ thuật viên'],
  technician_zalo: ['technician_zalo', 'technician zalo', 'zalo kỹ thuật viên'],
  focal_point: ['focal_point', 'focal point', 'đầu mối'],
  focal_point_phone: ['focal_point_phone', 'focal point phone', 'điện thoại đầu mối', 'sđt đầu mối'],
  focal_point_email: ['focal_point_email', 'focal point e-mail', 'focal point email', 'email đầu mối'],
  focal_point_zalo: ['focal_point_zalo', 'focal point zalo', 'zalo đầu mối'],
  codec_driver: ['codec_driver', 'codec driver', 'codec', 'loại codec'],
  codec_model: ['codec_model', 'codec model', 'model codec', 'mẫu codec'],
  bridge: ['bridge', 'mcu', 'cầu', 'cầu mcu'],
  meeting_hours: ['meeting_hours', 'meeting hours', 'giờ họp'],
};

/** "Điện thoại  Kỹ thuật viên" → "dien thoai ky thuat vien". */
export function headerKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();
}

const BY_KEY = new Map<string, CsvField>(
  CSV_FIELDS.flatMap((f) => CSV_HEADERS[f].map((h) => [headerKey(h), f] as const)),
);

export const fieldOfHeader = (name: string): CsvField | undefined => BY_KEY.get(headerKey(name));

/** Which entry field a CSV field fills (for an error on `technician.phone` to point at its column). */
export const ENTRY_PATH: Record<CsvField, string> = {
  id: 'id',
  name: 'name',
  unit: 'unit',
  level: 'level',
  address: 'address',
  technician: 'technician.name',
  technician_phone: 'technician.phone',
  technician_email: 'technician.email',
  technician_zalo: 'technician.zalo',
  focal_point: 'focal_point.name',
  focal_point_phone: 'focal_point.phone',
  focal_point_email: 'focal_point.email',
  focal_point_zalo: 'focal_point.zalo',
  codec_driver: 'codec.driver',
  codec_model: 'codec.model',
  bridge: 'bridge',
  meeting_hours: 'meeting_hours',
};

type Cells = Partial<Record<CsvField, string>>;

function person(c: Cells, who: 'technician' | 'focal_point') {
  const p = {
    ...(c[who] ? { name: c[who] } : {}),
    ...(c[`${who}_phone`] ? { phone: c[`${who}_phone`] } : {}),
    ...(c[`${who}_email`] ? { email: c[`${who}_email`] } : {}),
    ...(c[`${who}_zalo`] ? { zalo: c[`${who}_zalo`] } : {}),
  };
  return Object.keys(p).length ? { [who]: p } : {};
}

/** A row's cells (trimmed, empty ones left out) as a register entry; the schema judges it after. */
export function entryOfCells(c: Cells): SiteBatchItem {
  const codec =
    c.codec_driver || c.codec_model
      ? {
          codec: {
            ...(c.codec_driver ? { driver: c.codec_driver } : {}),
            ...(c.codec_model ? { model: c.codec_model } : {}),
          },
        }
      : {};
  return {
    id: c.id ?? '',
    name: c.name ?? '',
    unit: c.unit ?? '',
    ...(c.level ? { level: c.level } : {}),
    ...(c.address ? { address: c.address } : {}),
    ...person(c, 'technician'),
    ...person(c, 'focal_point'),
    ...codec,
    ...(c.bridge ? { bridge: c.bridge } : {}),
    ...(c.meeting_hours ? { meeting_hours: c.meeting_hours } : {}),
  } as SiteBatchItem;
}
