import readline from 'node:readline';
import { markOutboundSent } from '../db/conversations.js';
import type { App } from '../app.js';

export const SIMULATE_CHANNEL = 'simulate';

export type SimulateOutput = { to: string; text: string; inReplyTo?: string } | { error: string };

/**
 * One JSON line in ({"from","text","id"?,"timestamp"?,"name"?}), the JSON objects to write out:
 * one per reply, or an {"error"} for a line that cannot be read (so scripts notice).
 */
export function simulateLine(app: App, line: string, lineNo: number): SimulateOutput[] {
  if (line.trim() === '') return [];
  let msg: { from?: unknown; text?: unknown; id?: unknown; timestamp?: unknown; name?: unknown };
  try {
    msg = JSON.parse(line);
  } catch {
    app.logger.warn({ line: lineNo }, 'simulate: line is not JSON, skipped');
    return [{ error: `linha ${lineNo}: JSON inválido` }];
  }
  const from = typeof msg?.from === 'string' || typeof msg?.from === 'number' ? String(msg.from).replace(/\D/g, '') : '';
  if (!from || typeof msg.text !== 'string') return [{ error: `linha ${lineNo}: informe "from" (telefone) e "text" (texto)` }];
  const timestamp = typeof msg.timestamp === 'number' ? msg.timestamp : typeof msg.timestamp === 'string' ? Date.parse(msg.timestamp) : undefined;
  const result = app.engine.handle({
    channel: SIMULATE_CHANNEL,
    chatId: from,
    phone: from,
    id: typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : undefined,
    text: msg.text,
    timestamp: Number.isFinite(timestamp) ? timestamp : undefined,
    name: typeof msg.name === 'string' ? msg.name : undefined,
  });
  return result.replies.map((r) => {
    // The simulator is the channel: a reply printed is a reply delivered.
    markOutboundSent(app.db, r.id, null, new Date().toISOString());
    return r.inReplyTo ? { to: r.chatId, text: r.text, inReplyTo: r.inReplyTo } : { to: r.chatId, text: r.text };
  });
}

/**
 * `bot simulate`: JSON lines in, one JSON line per reply out. Only replies go to stdout;
 * logs go to stderr.
 */
export async function runSimulate(app: App, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    for (const out of simulateLine(app, line, lineNo)) output.write(JSON.stringify(out) + '\n');
  }
}
