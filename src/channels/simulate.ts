import { markOutboundSent } from '../db/conversations.js';
import type { App } from '../app.js';
import { metrics } from '../metrics.js';

export const SIMULATE_CHANNEL = 'simulate';

export type SimulateOutput = { to: string; text: string; inReplyTo?: string } | { error: string };

/**
 * One JSON line in ({"from","text","id"?,"timestamp"?,"name"?}), the JSON objects to write out:
 * one per reply, or an {"error"} for a line that cannot be read (so scripts notice).
 */
export function simulateLine(app: App, line: string, lineNo: number, emit: (out: SimulateOutput) => void = () => undefined): SimulateOutput[] {
  if (line.trim() === '') return [];
  const failed = (error: string) => {
    emit({ error });
    return [{ error }];
  };
  let msg: { from?: unknown; text?: unknown; id?: unknown; timestamp?: unknown; name?: unknown };
  try {
    msg = JSON.parse(line);
  } catch {
    app.logger.warn({ line: lineNo }, 'simulate: line is not JSON, skipped');
    return failed(`linha ${lineNo}: JSON inválido`);
  }
  const from = typeof msg?.from === 'string' || typeof msg?.from === 'number' ? String(msg.from).replace(/\D/g, '') : '';
  if (!from || typeof msg.text !== 'string') return failed(`linha ${lineNo}: informe "from" (telefone) e "text" (texto)`);
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
  if (result.unrecorded) {
    // Nothing was stored (full disk...): the person is told, straight, without the outbox.
    const out = typeof msg.id === 'string' || typeof msg.id === 'number' ? { to: from, text: result.unrecorded, inReplyTo: String(msg.id) } : { to: from, text: result.unrecorded };
    emit(out);
    return [out];
  }
  return result.replies.map((r) => {
    const out = r.inReplyTo ? { to: r.chatId, text: r.text, inReplyTo: r.inReplyTo } : { to: r.chatId, text: r.text };
    // The simulator is the channel: a reply written out is a reply delivered (written first: a
    // kill in between prints it again after the restart rather than never).
    emit(out);
    markOutboundSent(app.db, r.id, null, new Date().toISOString());
    metrics.messagesSent.inc({ channel: SIMULATE_CHANNEL });
    return out;
  });
}

/**
 * Writes out what the outbox holds for a local channel and marks it sent: replies committed just
 * before a kill (at start-up) and staff messages from the panel (while running).
 */
export function deliverQueued(app: App, channel: string, emit: (row: { to: string; text: string; inReplyTo?: string }) => void, chatId?: string): number {
  const { db } = app;
  let q = db.kysely
    .selectFrom('outbound_messages')
    .select(['id', 'chat_id', 'text', 'in_reply_to'])
    .where('status', '=', 'queued')
    .where('channel', '=', channel);
  if (chatId) q = q.where('chat_id', '=', chatId);
  const rows = db.all(q.orderBy('id').limit(500));
  for (const r of rows) {
    emit(r.in_reply_to ? { to: r.chat_id, text: r.text, inReplyTo: r.in_reply_to } : { to: r.chat_id, text: r.text });
    markOutboundSent(db, r.id, null, new Date().toISOString());
    metrics.messagesSent.inc({ channel });
  }
  return rows.length;
}

/** How often a running simulator or terminal chat looks for staff messages. */
export const LOCAL_POLL_MS = 1000;

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
  const write = (out: SimulateOutput) => output.write(JSON.stringify(out) + '\n');
  const flush = () => {
    try {
      deliverQueued(app, SIMULATE_CHANNEL, write);
    } catch (err) {
      app.logger.error({ err }, 'simulate: could not read the outbox');
    }
  };
  markOutboundSent(app.db, -1, null, ''); // prepares the statement before the first reply
  flush();
  const timer = setInterval(flush, LOCAL_POLL_MS);
  try {
    let lineNo = 0;
    for await (const line of jsonLines(input)) {
      lineNo++;
      if (line === '\u0000too long') write({ error: `linha ${lineNo}: longa demais (máximo de ${MAX_LINE} caracteres)` });
      else simulateLine(app, line, lineNo, write);
    }
    flush();
  } finally {
    clearInterval(timer);
  }
}
