import readline from 'node:readline';
import { markOutboundSent } from '../db/conversations.js';
import type { App } from '../app.js';

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
  rl.prompt();
  for await (const line of rl) {
    const result = app.engine.handle({ channel: TERMINAL_CHANNEL, chatId: from, phone: from, text: line });
    for (const r of result.replies) {
      print(r.text);
      markOutboundSent(app.db, r.id, null, new Date().toISOString());
    }
    rl.prompt();
  }
  process.stdout.write('\n');
}
