import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';
import { runTs } from './support/process.js';

describe('configuration from the environment', () => {
  it('has working defaults without any variable', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databasePath: 'data/bot.db',
      httpHost: '127.0.0.1',
      httpPort: 3000,
      timezone: 'America/Sao_Paulo',
      idleTimeoutMs: 30 * 60_000,
      logLevel: 'info',
      greeting: { enabled: true },
    });
    expect(c.greeting.text).toMatch(/Indique Certo/);
  });

  it('a request left half-way waits 24 h by default, REQUEST_IDLE_HOURS sets it', () => {
    expect(loadConfig({}).requestIdleMs).toBe(24 * 3_600_000);
    expect(loadConfig({ REQUEST_IDLE_HOURS: '6' }).requestIdleMs).toBe(6 * 3_600_000);
  });

  it('empty values count as unset', () => {
    expect(loadConfig({ HTTP_PORT: '', IDLE_TIMEOUT_MINUTES: '' })).toMatchObject({ httpPort: 3000, idleTimeoutMs: 30 * 60_000 });
  });

  it('reads the values it is given', () => {
    const c = loadConfig({ HTTP_PORT: '8081', IDLE_TIMEOUT_MINUTES: '5', GREETING_ENABLED: 'nao', TIMEZONE: 'America/Manaus', DATABASE_PATH: ':memory:' });
    expect(c).toMatchObject({ httpPort: 8081, idleTimeoutMs: 5 * 60_000, greeting: { enabled: false }, timezone: 'America/Manaus', databasePath: ':memory:' });
  });

  it('.env.example documents the defaults: its values give the same configuration as no variables', () => {
    const vars = Object.fromEntries(
      fs
        .readFileSync(path.join(projectRoot, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['DATABASE_PATH', 'HTTP_PORT', 'IDLE_TIMEOUT_MINUTES', 'TIMEZONE', 'GREETING_ENABLED']));
    expect(loadConfig(vars)).toEqual(loadConfig({}));
  });

  it.each([
    ['HTTP_PORT', 'abc'],
    ['HTTP_PORT', '70000'],
    ['IDLE_TIMEOUT_MINUTES', '-1'],
    ['IDLE_TIMEOUT_MINUTES', 'trinta'],
    ['TIMEZONE', 'Mars/Olympus'],
    ['GREETING_ENABLED', 'talvez'],
    ['LOG_LEVEL', 'loud'],
    ['NLU_MIN_CONFIDENCE', '2'],
  ])('%s=%s is rejected with a ConfigError naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).toContain(value);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ HTTP_PORT: 'abc', IDLE_TIMEOUT_MINUTES: '-1' })).toThrow(/HTTP_PORT[\s\S]*IDLE_TIMEOUT_MINUTES|IDLE_TIMEOUT_MINUTES[\s\S]*HTTP_PORT/);
  });
});

describe('a bad variable stops the real process with a clear message', () => {
  it.each([
    ['bot simulate', 'src/cli.ts', ['simulate'], { HTTP_PORT: 'abc' }, 'HTTP_PORT'],
    ['bot simulate', 'src/cli.ts', ['simulate'], { IDLE_TIMEOUT_MINUTES: '-1' }, 'IDLE_TIMEOUT_MINUTES'],
    ['npm start (main)', 'src/main.ts', [], { TIMEZONE: 'Mars/Olympus' }, 'TIMEZONE'],
  ] as const)('%s (%s %j) with %j exits non-zero, naming it on stderr: %s', async (_name, script, args, env, variable) => {
    const r = await runTs(script, [...args], {
      env: { DATABASE_PATH: ':memory:', WHATSAPP_ENABLED: 'false', ...env },
      input: JSON.stringify({ from: '5511999990001', text: 'menu' }) + '\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain(variable);
    // A message, not a stack trace, and nothing on stdout (no reply was given).
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  });
});
