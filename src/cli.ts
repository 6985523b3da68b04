import './quiet-dotenv.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { checkFaq } from './faq/check.js';
import { createLogger } from './logger.js';
import { evaluateSet, formatReport, loadHeldOut } from './nlu/evaluate.js';
import { Matcher } from './nlu/matcher.js';
import { defaultFaqDir, projectRoot } from './paths.js';
import { runSimulate } from './channels/simulate.js';
import { runTerminalChat } from './channels/terminal.js';

const USAGE = `Uso: npm run bot -- <comando>

  simulate                 lê JSON lines {"from","text","id"?,"timestamp"?} da entrada padrão e
                           escreve uma linha JSON por resposta {"to","text","inReplyTo"?}
  chat --from 55119...     conversa com o bot no terminal (também: npm run chat -- --from ...)
  faq check                valida os arquivos de faq/ (esquema, ids, exemplos ambíguos)
  faq export-learned       escreve em faq/ os exemplos ensinados no painel (Perguntas não respondidas)
  faq eval [ARQUIVOS...]   mede o entendimento nos conjuntos de avaliação (padrão: tests/nlu/*.yaml):
                           certas de primeira, perguntas de volta, recusas, erros, fora do escopo,
                           por estilo, curva e cobertura; só números, nunca as frases
  import orders ARQ.csv    importa pedidos (pedido,documento,email,forma_pagamento,status_pagamento,
                           data_compra,data_emissao,parceiro; opcionais: valor (1.234,56) e
                           nome_comprador); linhas inválidas são listadas
  import partners ARQ.csv  importa parceiros (id,nome,documento,whatsapp,pagina_vendas)
  tickets list [--team finance|support] [--status open,...] [--json]
  tickets show PROTOCOLO   mostra um ticket com os dados coletados e o histórico
  users add --name N --email E --role finance|support|admin
                           cria um usuário do painel (senha pedida no terminal ou lida da entrada padrão);
                           também: users list | users passwd --email E | users disable|enable --email E
  tokens create --email E --name N | tokens list [--email E] | tokens revoke --id N
                           tokens da API /api do painel (o token aparece uma única vez)
  test [ARQUIVOS...]       roda as conversas de teste em YAML (padrão: tests/conversations/)
  contact export TELEFONE [--out ARQ] [--reveal]
                           todos os dados de uma pessoa em JSON (LGPD); na tela, mascarados
                           sem --reveal; --out grava o arquivo completo (permissão 600)
  contact erase TELEFONE [--yes]
                           apaga os dados da pessoa e anonimiza os tickets (ficam as estatísticas);
                           sem --yes só mostra o que seria apagado
  retention run            aplica agora a retenção (RETENTION_*; também roda todo dia com o bot)
  audit [--limit N]        o registro de auditoria (exportações, exclusões, backups, expurgos)
  backup DESTINO           cópia consistente do banco (pode rodar com o bot ligado); DESTINO é
                           um arquivo ou uma pasta (bot-AAAAMMDD-HHMMSS.db)
  restore BACKUP           põe um backup no lugar do banco (pare o bot antes; o banco atual fica
                           guardado ao lado como ...antes-da-restauracao-...)

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
    case 'import': {
      if ((sub === 'orders' || sub === 'partners') && rest[0]) {
        const { importOrders, importPartners, ImportError } = await import('./tickets/import.js');
        const { Db } = await import('./db/database.js');
        const fs = await import('node:fs');
        const db = await Db.open(config.databasePath);
        try {
          const content = fs.readFileSync(rest[0], 'utf8');
          const report = sub === 'orders' ? importOrders(db, content) : importPartners(db, content);
          for (const e of report.errors) process.stdout.write(`linha ${e.line}: ${e.message}\n`);
          process.stdout.write(`${report.imported} ${sub === 'orders' ? 'pedidos' : 'parceiros'} importados, ${report.errors.length} linhas com erro\n`);
          return report.errors.length ? 1 : 0;
        } catch (e) {
          if (e instanceof ImportError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
            process.stderr.write(`${(e as Error).message}\n`);
            return 1;
          }
          throw e;
        } finally {
          await db.close();
        }
      }
      break;
    }
    case 'users':
    case 'tokens': {
      const { Db } = await import('./db/database.js');
      const { runStaffCommand } = await import('./staff/cli.js');
      const db = await Db.open(config.databasePath);
      try {
        return await runStaffCommand(db, command, [sub, ...rest].filter((a) => a !== undefined), process);
      } finally {
        await db.close();
      }
    }
    case 'tickets': {
      const { Db } = await import('./db/database.js');
      const t = await import('./tickets/tickets.js');
      const db = await Db.open(config.databasePath);
      try {
        if (sub === 'list') {
          const { values } = parseArgs({ args: rest, options: { team: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } } });
          if (values.team && values.team !== 'finance' && values.team !== 'support') {
            process.stderr.write('--team deve ser finance ou support\n');
            return 2;
          }
          const status = values.status?.split(',').map((x) => x.trim()) as NonNullable<Parameters<typeof t.listTickets>[1]>['status'];
          const tickets = t.listTickets(db, { team: values.team as 'finance' | 'support' | undefined, status, limit: 10_000 }).map(t.ticketView);
          if (values.json) process.stdout.write(JSON.stringify(tickets, null, 2) + '\n');
          else if (tickets.length === 0) process.stdout.write('Nenhum ticket.\n');
          else for (const x of tickets) process.stdout.write(`${x.protocol}  ${x.team.padEnd(7)}  ${x.status.padEnd(11)}  ${x.type.padEnd(19)}  ${x.createdAt}  ${x.contact.name ?? ''}\n`);
          return 0;
        }
        if (sub === 'show' && rest[0]) {
          const ticket = t.getTicketByProtocol(db, rest[0]);
          if (!ticket) {
            process.stderr.write(`Protocolo ${rest[0]} não encontrado.\n`);
            return 1;
          }
          process.stdout.write(JSON.stringify({ ...t.ticketView(ticket), history: t.ticketEvents(db, ticket.id).map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, detail: JSON.parse(e.detail) })) }, null, 2) + '\n');
          return 0;
        }
      } finally {
        await db.close();
      }
      break;
    }
    case 'backup': {
      if (!sub) break;
      const { Db } = await import('./db/database.js');
      const { backupTo } = await import('./ops/backup.js');
      const { audit, cliActor } = await import('./ops/audit.js');
      const db = await Db.open(config.databasePath);
      try {
        const r = await backupTo(db, sub);
        audit(db, { actor: cliActor(), action: 'backup', subject: path.basename(r.file), detail: { bytes: r.bytes, ms: r.ms } });
        process.stdout.write(`Backup em ${r.file} (${(r.bytes / 1_048_576).toFixed(1)} MB, ${r.ms} ms)\n`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'restore': {
      if (!sub) break;
      const { restoreFrom } = await import('./ops/backup.js');
      const { previous } = await restoreFrom(sub, config.databasePath);
      process.stdout.write(`Banco ${path.resolve(config.databasePath)} restaurado de ${path.resolve(sub)}.${previous ? ` O banco anterior ficou em ${previous}.` : ''}\n`);
      return 0;
    }
    case 'contact': {
      const phoneArg = rest[0];
      if ((sub !== 'export' && sub !== 'erase') || !phoneArg) break;
      const { values } = parseArgs({ args: rest.slice(1), options: { out: { type: 'string' }, reveal: { type: 'boolean' }, yes: { type: 'boolean' } } });
      const { Db } = await import('./db/database.js');
      const p = await import('./ops/privacy.js');
      const { audit, cliActor } = await import('./ops/audit.js');
      const phone = p.normalizePhone(phoneArg);
      if (phone.length < 12) {
        process.stderr.write('Informe o telefone com DDD (e, se não for do Brasil, com o código do país): 5511999990001\n');
        return 2;
      }
      const db = await Db.open(config.databasePath);
      try {
        const subject = p.maskedSubject(phone);
        if (sub === 'export') {
          const data = p.exportContact(db, phone);
          const found = data.contacts.length + data.tickets.length + data.messagesReceived.length;
          if (values.out) {
            const fs = await import('node:fs');
            fs.writeFileSync(values.out, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
            process.stdout.write(`Dados de ${subject} gravados em ${path.resolve(values.out)} (${data.messagesReceived.length + data.messagesSent.length} mensagens, ${data.tickets.length} tickets, ${data.attachments.length} arquivos).\n`);
          } else process.stdout.write(JSON.stringify(values.reveal ? data : p.maskExport(data), null, 2) + '\n');
          audit(db, { actor: cliActor(), action: 'contact.export', subject, detail: { to: values.out ? 'file' : 'stdout', revealed: !!(values.out || values.reveal), tickets: data.tickets.length, messages: data.messagesReceived.length + data.messagesSent.length } });
          if (!found) process.stderr.write(`Nenhum dado encontrado para ${subject}.\n`);
          return 0;
        }
        const chats = p.chatsOf(db, phone);
        if (!values.yes) {
          const preview = p.exportContact(db, phone);
          process.stdout.write(
            chats.length
              ? `Seriam apagados de ${subject}: ${preview.messagesReceived.length + preview.messagesSent.length} mensagens, ${preview.attachments.length} arquivos, o contato e o estado da conversa; ${preview.tickets.length} tickets ficam anonimizados (só tipo, equipe, status e datas). Para apagar, rode de novo com --yes.\n`
              : `Nenhum dado encontrado para ${subject}.\n`,
          );
          return 0;
        }
        const r = p.eraseContact(db, phone);
        audit(db, { actor: cliActor(), action: 'contact.erase', subject, detail: { ...r } });
        process.stdout.write(`Dados de ${subject} apagados: ${r.messages} mensagens, ${r.attachments} arquivos; ${r.tickets} tickets anonimizados${r.closedOnErase ? ` (${r.closedOnErase} abertos foram encerrados)` : ''}.\n`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'retention': {
      if (sub !== 'run') break;
      const { Db } = await import('./db/database.js');
      const { purgeExpired } = await import('./ops/privacy.js');
      const { loadOpsConfig } = await import('./ops/config.js');
      const { audit, cliActor } = await import('./ops/audit.js');
      const policy = loadOpsConfig(config.databasePath).retention;
      const db = await Db.open(config.databasePath);
      try {
        const r = purgeExpired(db, policy);
        audit(db, { actor: cliActor(), action: 'retention.purge', subject: 'retention', detail: { ...r, policy } });
        process.stdout.write(`Expurgo: ${r.inbound} mensagens recebidas e ${r.outbound} enviadas com mais de ${policy.messagesDays} dias, ${r.conversations} conversas paradas, ${r.attachments} arquivos com mais de ${policy.attachmentsDays} dias, ${r.tickets} tickets encerrados há mais de ${policy.closedTicketsDays} dias.\n`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'audit': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((a) => a !== undefined), options: { limit: { type: 'string', default: '50' } } });
      const { Db } = await import('./db/database.js');
      const { auditEntries } = await import('./ops/audit.js');
      const db = await Db.open(config.databasePath);
      try {
        for (const e of auditEntries(db, Math.max(1, Number(values.limit) || 50)).reverse()) process.stdout.write(`${e.at}  ${e.actor.padEnd(14)}  ${e.action.padEnd(16)}  ${e.subject}  ${e.detail}\n`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'test': {
      const { formatFailure, loadStories, runStory } = await import('./stories/runner.js');
      const fs = await import('node:fs');
      const dir = path.join(projectRoot, 'tests/conversations');
      const files = [sub, ...rest].filter(Boolean).length
        ? [sub, ...rest].filter(Boolean)
        : fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
      let passed = 0;
      let failed = 0;
      const quiet = createLogger({ level: 'silent' });
      for (const file of files) {
        for (const story of loadStories(file)) {
          const r = await runStory(story, file, quiet);
          if (r.ok) {
            passed++;
            process.stdout.write(`✓ ${r.name}\n`);
          } else {
            failed++;
            process.stdout.write(formatFailure(r) + '\n');
          }
        }
      }
      process.stdout.write(`${passed} passed, ${failed} failed\n`);
      return failed ? 1 : 0;
    }
    case 'faq': {
      if (sub === 'check') {
        // Examples taught in the staff panel and not yet exported are part of what the bot knows.
        const { readUnexportedLearned } = await import('./db/learning.js');
        const learned = readUnexportedLearned(config.databasePath);
        if (learned.length) process.stdout.write(`incluindo ${learned.length} exemplos aprendidos no painel (${config.databasePath}), ainda não exportados para faq/\n`);
        const report = checkFaq(faqDir, config.nlu, learned);
        for (const w of report.warnings) process.stdout.write(`aviso: ${w.file}: ${w.entry}: ${w.message}\n`);
        for (const c of report.conflicts) process.stdout.write(`fora do escopo: ${c.file}: ${c.entry}: ${c.message}\n`);
        for (const e of report.errors) process.stdout.write(`ERRO: ${e.file}${e.entry ? `: ${e.entry}` : ''}: ${e.message}\n`);
        const cv = report.crossValidation;
        if (cv.total) {
          const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1).replace('.', ',')} %`;
          const weakest = cv.perLabel.slice(0, 5).map((l) => `${l.label} ${pct(l.right, l.total)}`).join(', ');
          process.stdout.write(`validação cruzada: ${cv.right} de ${cv.total} exemplos decididos certo por um modelo que não os viu (${pct(cv.right, cv.total)}); mais fracos: ${weakest}\n`);
        }
        const entries = report.kb?.entries.size ?? 0;
        process.stdout.write(
          `${report.errors.length ? 'FAQ com problemas' : 'FAQ ok'}: ${entries} entradas, ${report.examples} exemplos, ${report.errors.length} erros, ${report.conflicts.length} conflitos com fora do escopo, ${report.warnings.length} avisos\n`,
        );
        return report.errors.length ? 1 : 0;
      }
      if (sub === 'export-learned') {
        const { Db } = await import('./db/database.js');
        const { exportLearned } = await import('./learning/export.js');
        const db = await Db.open(config.databasePath);
        try {
          const r = exportLearned(db, faqDir);
          for (const w of r.written) process.stdout.write(`${w.file}: ${w.count} exemplo(s) em "${w.label}"\n`);
          if (r.alreadyThere) process.stdout.write(`${r.alreadyThere} exemplo(s) já estavam em faq/\n`);
          for (const o of r.orphans) process.stdout.write(`não exportado: "${o.text}" (${o.label} não existe mais em faq/)\n`);
          const total = r.written.reduce((a, w) => a + w.count, 0);
          process.stdout.write(total ? `${total} exemplo(s) aprendido(s) escritos em ${faqDir}. Rode npm run bot -- faq check e faça o commit.\n` : 'Nenhum exemplo aprendido novo para exportar.\n');
          return 0;
        } finally {
          await db.close();
        }
      }
      if (sub === 'eval') {
        const fs = await import('node:fs');
        const dir = path.join(projectRoot, 'tests/nlu');
        const files = rest.length ? rest : fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
        const { loadKnowledge } = await import('./understanding.js');
        const matcher = new Matcher(loadKnowledge(faqDir), config.nlu);
        for (const file of files) {
          const items = loadHeldOut(file);
          process.stdout.write(formatReport(evaluateSet(matcher, items, path.relative(projectRoot, path.resolve(file)))) + '\n');
        }
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
    if (err instanceof ConfigError || ['FaqError', 'DatabaseOpenError', 'OpsError'].includes((err as Error).name)) process.stderr.write(`${(err as Error).message}\n`);
    else process.stderr.write(`Erro: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
