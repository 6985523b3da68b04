import readline from 'node:readline';
import { markOutboundSent } from '../db/conversations.js';
import type { App } from '../app.js';
import { metrics } from '../metrics.js';
import { deliverQueued, LOCAL_POLL_MS } from './simulate.js';

export const TERMINAL_CHANNEL = 'terminal';

/** `npm run chat -- --from 5511...`: talk to the engine as that phone number. */
export async function runTerminalChat(app: App, from: string): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'você> ' });
  const print = (text: string) => {
    const body = text
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    process.stdout.write(`\n\x1b[32mbot\x1b[0m\n${body}\n\n`);
  };
  process.stdout.write(`Conversando como ${from}. Digite suas mensagens; Ctrl+D para sair.\n\n`);
  // What is waiting for this chat (a reply saved just before a crash, staff messages from the
  // panel) is shown at start and while the chat runs.
  const flush = () => {
    try {
      if (deliverQueued(app, TERMINAL_CHANNEL, (r) => print(r.text), from) > 0) rl.prompt(true);
    } catch (err) {
      app.logger.error({ err }, 'chat: could not read the outbox');
    }
  };
  flush();
  const timer = setInterval(flush, LOCAL_POLL_MS);
  rl.prompt();
  try {
    for await (const line of rl) {
      const result = app.engine.handle({ channel: TERMINAL_CHANNEL, chatId: from, phone: from, text: line });
      if (result.unrecorded) print(result.unrecorded);
      for (const r of result.replies) {
        print(r.text);
        markOutboundSent(app.db, r.id, null, new Date().toISOString());
        metrics.messagesSent.inc({ channel: TERMINAL_CHANNEL });
      }
      rl.prompt();
    }
  } finally {
    clearInterval(timer);
  }
  process.stdout.write('\n');
}
