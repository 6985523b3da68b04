import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadBusinessHours } from '../../src/business-hours.js';
import { BUNDLED_VERSION, loadWhatsAppConfig } from '../../src/channels/whatsapp/config.js';
import { ConfigError } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

describe('WhatsApp configuration', () => {
  it('.env.example documents the defaults', () => {
    const vars = Object.fromEntries(
      fs
        .readFileSync(path.join(projectRoot, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(vars.WHATSAPP_ENABLED).toBe('true');
    expect(loadWhatsAppConfig(vars)).toEqual(loadWhatsAppConfig({}));
    const now = new Date('2026-11-28T15:00:00Z');
    expect(loadBusinessHours(vars).nextBusinessOpening('finance', now)).toBe(loadBusinessHours({}).nextBusinessOpening('finance', now));
  });

  it('defaults: enabled, bundled version, 24 h backlog, 1 msg/s per chat', () => {
    const c = loadWhatsAppConfig({});
    expect(c).toMatchObject({ enabled: true, account: 'default', version: undefined, backlogMaxAgeMs: 24 * 3_600_000, rate: { chatMinIntervalMs: 1000 } });
    expect(loadWhatsAppConfig({ WHATSAPP_VERSION: '2.3000.1' }).version).toEqual([2, 3000, 1]);
    expect(BUNDLED_VERSION).toEqual([2, 3000, 1043857760]);
    expect(loadWhatsAppConfig({ WHATSAPP_PAIRING_NUMBER: '+55 (11) 99999-0001' }).pairingNumber).toBe('5511999990001');
  });

  it.each([
    ['WHATSAPP_ENABLED', 'talvez'],
    ['WHATSAPP_VERSION', 'latest'],
    ['WHATSAPP_WS_URL', 'http://x'],
    ['WHATSAPP_PAIRING_NUMBER', '123'],
    ['WHATSAPP_CHAT_MIN_INTERVAL_MS', '-5'],
    ['ADMIN_TOKEN', 'curto'],
  ])('%s=%s is rejected naming the variable', (name, value) => {
    expect(() => loadWhatsAppConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadWhatsAppConfig({ [name]: value })).toThrow(name);
  });
});
