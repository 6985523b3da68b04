import readline from 'node:readline';
import { markOutboundSent } from '../db/conversations.js';
import type { App } from '../app.js';

export const SIMULATE_CHANNEL = 'simulate';

/**
 * `bot simulate`: JSON lines in ({"from","text","id"?,"timestamp"?}), one JSON line per reply
 * out ({"to","text","inReplyTo"?}). Only replies go to stdout; problems go to the log (stderr)
 * and, for a line that is not valid JSON, also as {"error":...} so scripts notice.
 */
export async function runSimulate(app: App, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let msg: { from?: unknown; text?: unknown; id?: unknown; timestamp?: unknown; name?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      app.logger.warn({ line: lineNo }, 'simulate: line is not JSON, skipped');
      output.write(JSON.stringify({ error: `linha ${lineNo}: JSON inválido` }) + '\n');
      continue;
    }
    const from = typeof msg.from === 'string' || typeof msg.from === 'number' ? String(msg.from).replace(/\D/g, '') : '';
    if (!from || typeof msg.text !== 'string') {
      output.write(JSON.stringify({ error: `linha ${lineNo}: informe "from" (telefone) e "text" (texto)` }) + '\n');
      continue;
    }
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
    for (const r of result.replies) {
      output.write(JSON.stringify(r.inReplyTo ? { to: r.chatId, text: r.text, inReplyTo: r.inReplyTo } : { to: r.chatId, text: r.text }) + '\n');
      markOutboundSent(app.db, r.id, null, new Date().toISOString());
    }
  }
}
