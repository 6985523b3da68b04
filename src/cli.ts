import './quiet-dotenv.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { checkFaq } from './faq/check.js';
import { createLogger } from './logger.js';
import { evaluate, formatEvaluation, loadHeldOut } from './nlu/evaluate.js';
import { Matcher } from './nlu/matcher.js';
import { defaultFaqDir, projectRoot } from './paths.js';
import { runSimulate } from './channels/simulate.js';
import { runTerminalChat } from './channels/terminal.js';

const USAGE = `Uso: npm run bot -- <comando>

  simulate                 lê JSON lines {"from","text","id"?,"timestamp"?} da entrada padrão e
                           escreve uma linha JSON por resposta {"to","text","inReplyTo"?}
  chat --from 55119...     conversa com o bot no terminal (também: npm run chat -- --from ...)
  faq check                valida os arquivos de faq/ (esquema, ids, exemplos ambíguos)
  faq eval [ARQUIVO]       mede a acurácia no conjunto de teste separado (tests/nlu/heldout.yaml)

Variáveis de ambiente: veja .env.example (DATABASE_PATH, LOG_LEVEL, ...).`;

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const faqDir = config.faqDir ?? defaultFaqDir;

  switch (command) {
    case 'simulate': {
      const app = await createApp(config, logger);
      await runSimulate(app, process.stdin, process.stdout);
      await app.close();
      return 0;
    }
    case 'chat': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((a) => a !== undefined), options: { from: { type: 'string', default: '5511999990001' } } });
      const from = String(values.from).replace(/\D/g, '');
      if (from.length < 10) {
        process.stderr.write('Informe o telefone com DDD: --from 5511999990001\n');
        return 2;
      }
      const app = await createApp(config, logger);
      await runTerminalChat(app, from);
      await app.close();
      return 0;
    }
    case 'faq': {
      if (sub === 'check') {
        const report = checkFaq(faqDir, { ...config.nlu, clarifyFloor: Math.min(config.nlu.minConfidence, 0.3) });
        for (const w of report.warnings) process.stdout.write(`aviso: ${w.file}: ${w.entry}: ${w.message}\n`);
        for (const e of report.errors) process.stdout.write(`ERRO: ${e.file}${e.entry ? `: ${e.entry}` : ''}: ${e.message}\n`);
        const entries = report.kb?.entries.size ?? 0;
        process.stdout.write(
          `${report.errors.length ? 'FAQ com problemas' : 'FAQ ok'}: ${entries} entradas, ${report.examples} exemplos, ${report.errors.length} erros, ${report.warnings.length} avisos\n`,
        );
        return report.errors.length ? 1 : 0;
      }
      if (sub === 'eval') {
        const file = rest[0] ?? path.join(projectRoot, 'tests/nlu/heldout.yaml');
        const { loadKnowledgeBase } = await import('./faq/knowledge.js');
        const kb = loadKnowledgeBase(faqDir);
        const ev = evaluate(new Matcher(kb, { ...config.nlu, clarifyFloor: Math.min(config.nlu.minConfidence, 0.3) }), loadHeldOut(file));
        process.stdout.write(formatEvaluation(ev) + '\n');
        return 0;
      }
      break;
    }
  }
  process.stderr.write(USAGE + '\n');
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof ConfigError || (err as Error).name === 'FaqError') process.stderr.write(`${(err as Error).message}\n`);
    else process.stderr.write(`Erro: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
