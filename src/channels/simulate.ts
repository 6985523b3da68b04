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

/** Longest input line read; the rest of a longer one is skipped (an error line says so). */
export const MAX_LINE = 1_000_000;

/**
 * Lines split on "\n" only: a raw carriage return inside a line is not a line break (readline
 * would split there). A trailing "\r" (CRLF input) is dropped; other raw control characters,
 * which JSON forbids inside strings, read as spaces.
 */
export async function* jsonLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  (input as NodeJS.ReadableStream & { setEncoding?(e: string): void }).setEncoding?.('utf8');
  let buffer = '';
  let skipping = false;
  const clean = (l: string) => l.replace(/\r$/, '').replace(/[\u0000-\u001F]/g, ' ');
  for await (const chunk of input) {
    buffer += String(chunk);
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (skipping) skipping = false;
      else yield clean(line);
    }
    if (buffer.length > MAX_LINE) {
      if (!skipping) yield '\u0000too long';
      skipping = true;
      buffer = '';
    }
  }
  if (buffer && !skipping) yield clean(buffer);
}

/**
 * `bot simulate`: JSON lines in, one JSON line per reply out. Only replies go to stdout;
 * logs go to stderr.
 */
export async function runSimulate(app: App, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  let lineNo = 0;
  for await (const line of jsonLines(input)) {
    lineNo++;
    const outs = line === '\u0000too long' ? [{ error: `linha ${lineNo}: longa demais (máximo de ${MAX_LINE} caracteres)` }] : simulateLine(app, line, lineNo);
    for (const out of outs) output.write(JSON.stringify(out) + '\n');
  }
}
