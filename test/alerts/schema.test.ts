/**
 * docs/schema/alert-1.json is the webhook body's JSON Schema (docs/alerts.md,
 * webhook): the committed file is exactly the TypeBox AlertMessage of
 * src/model/alert.ts without the x- annotations, and a sample validates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ALERT_SCHEMA, AlertMessage } from '../../src/model/alert.js';
import { withoutAnnotations } from '../../src/model/schema-tools.js';
import { sampleAlert } from './sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const COMMITTED = path.join(import.meta.dirname, '../../docs/schema/alert-1.json');

/** What docs/schema/alert-1.json must hold. */
function alertDocumentSchema(): string {
  const doc = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://diemcau.invalid/schema/alert-1.json',
    title: `diemcau alert (${ALERT_SCHEMA})`,
    description:
      'The body of every webhook delivery (docs/alerts.md); e-mail, Zalo and Telegram messages are rendered from the same object.',
    ...withoutAnnotations(AlertMessage),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

describe('docs/schema/alert-1.json', () => {
  it('is the TypeBox AlertMessage of src/model/alert.ts, without x- annotations', () => {
    const text = fs.readFileSync(COMMITTED, 'utf8');
    expect(text).not.toContain('"x-');
    expect(text).toBe(alertDocumentSchema());
  });

  it('accepts an alert, with or without a meeting, and refuses one that is not diemcau/alert@1', () => {
    const validate = addFormats(new Ajv2020({ strict: true, allErrors: true })).compile(
      JSON.parse(fs.readFileSync(COMMITTED, 'utf8')),
    );
    expect(validate(sampleAlert()), JSON.stringify(validate.errors)).toBe(true);
    const { meeting: _m, ...noMeeting } = sampleAlert({
      state: 'resolved',
      site: { ...sampleAlert().site, technician: null },
    });
    expect(validate(noMeeting), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...sampleAlert(), schema: 'diemcau/alert@2' })).toBe(false);
    expect(validate({ ...sampleAlert(), state: 'open' })).toBe(false);
    expect(validate({ ...sampleAlert(), at: 'yesterday' })).toBe(false);
  });
});
