/** A site profile on disk pointing at a simulated codec, for the dial / hangup / call / join command tests. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const PASSWORD = 'Mật-khẩu-của-codec-7';

export async function siteProfile(opts: {
  driver: 'cisco' | 'poly' | 'none';
  port?: number;
  bridges?: string;
  locale?: 'en' | 'vi';
  auth?: 'basic' | 'session';
  /** A `checks:` list (YAML lines), for `diemcau check`. */
  checks?: string;
}): Promise<{ dir: string; file: string; env: Record<string, string> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'diemcau-codec-'));
  const codec =
    opts.driver === 'none'
      ? 'codec: { driver: none }'
      : `codec:
  driver: ${opts.driver}
  host: 127.0.0.1
  port: ${opts.port}
  scheme: http
  auth: ${opts.auth ?? 'session'}
  username: admin
  password: \${CODEC_PASSWORD}
  timeout: 2s`;
  const text = `site: { id: th-xa-a, name: "UBND xã A", unit: thanh-hoa/xa-a }
locale: ${opts.locale ?? 'en'}
${codec}
bridges:
${opts.bridges ?? '  - { id: tinh, name: Phòng họp tỉnh, uri: "sip:8001@mcu.example.gov.vn", rate_kbps: 1920 }'}
${opts.checks ? `checks:\n${opts.checks}\n` : ''}`;
  const file = path.join(dir, 'diemcau.yaml');
  await fs.writeFile(file, text);
  return { dir, file, env: { CODEC_PASSWORD: PASSWORD, LANG: 'en_US.UTF-8' } };
}
