import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ROUTER_VERSION } from '../../src/conversation/router.js';
import { migrateSnapshot } from '../../src/conversation/snapshots.js';
import { texts } from '../../src/conversation/texts.js';
import { projectRoot } from '../../src/paths.js';
import { startHarness, type Harness } from '../support/harness.js';

// Stored conversations outlive deploys: a chat stored by the previous version (form positions as
// step indexes) resumes at the same question after this version is deployed, instead of restarting.

const FIXTURE = path.join(projectRoot, 'tests/fixtures/conversation-v1-refund.json');
const CHAT = '5511977770003';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('snapshots of the previous version', () => {
  it('a refund stored at the order-number question (version 1) continues there after the upgrade', async () => {
    // Recorded with the version-1 code: "quero estorno", "cliente", "529.982.247-25".
    const row = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    expect(row.machine_version).toBe(1);
    h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    h.app.db.sqlite
      .prepare('insert into conversations (chat_id, machine_id, machine_version, snapshot, updated_at, last_message_at, greeted_on) values (?, ?, ?, ?, ?, ?, ?)')
      .run(row.chat_id, row.machine_id, row.machine_version, row.snapshot, row.updated_at, null, row.greeted_on ?? null);
    const reply = h.ask('50001', { from: CHAT });
    expect(reply).not.toContain(texts.restoreFailed);
    expect(reply).toContain('Qual o motivo do estorno?');
    expect(h.app.engine.stateOf(CHAT)).toBe('flow_refund');
    // The answers given before the upgrade are still there: the summary shows them.
    expect(h.ask('desisti', { from: CHAT })).toMatch(/Em que \*data\*|chave Pix|Confira/);
    const stored = h.app.db.sqlite.prepare('select machine_version from conversations where chat_id = ?').get(CHAT) as { machine_version: number };
    expect(stored.machine_version).toBe(ROUTER_VERSION);
  });

  it('a snapshot from a version no step can read restarts politely', () => {
    expect(migrateSnapshot({ value: 'home' }, ROUTER_VERSION + 1, ROUTER_VERSION)).toBeNull();
    expect(migrateSnapshot({ value: 'home' }, 0, ROUTER_VERSION)).toBeNull();
  });
});
