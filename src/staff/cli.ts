import { parseArgs } from 'node:util';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Db } from '../db/database.js';
import {
  createApiToken, createUser, findUserByEmail, listApiTokens, listUsers, revokeApiToken, ROLES, setPassword, setUserActive, StaffError,
} from './users.js';

// `npm run bot -- users ...` and `npm run bot -- tokens ...`: staff accounts and API tokens from
// the command line. Passwords come from a hidden prompt on a terminal, or the first line of stdin.

export const STAFF_USAGE = `  users add --name N --email E --role finance|support|admin
                           cria um usuário do painel (senha pedida no terminal ou lida da entrada padrão)
  users list               lista os usuários do painel
  users passwd --email E   troca a senha (encerra as sessões abertas)
  users disable|enable --email E
  tokens create --email E --name N
                           cria um token de API para o usuário (mostrado uma única vez)
  tokens list [--email E]  lista os tokens (só o início de cada um)
  tokens revoke --id N     revoga um token`;

export interface StaffIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

/** Reads a password: hidden prompt on a terminal, else the first line of stdin. */
export async function readPassword(io: StaffIo, prompt: string): Promise<string> {
  if (io.stdin.isTTY) {
    const rl = readline.createInterface({ input: io.stdin, output: io.stdout, terminal: true });
    const rlAny = rl as unknown as { _writeToOutput: (s: string) => void };
    let asking = true;
    rlAny._writeToOutput = (s: string) => {
      if (!asking || s.includes(prompt)) io.stdout.write(s.includes(prompt) ? prompt : s);
    };
    const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
    asking = false;
    rl.close();
    io.stdout.write('\n');
    return answer;
  }
  let data = '';
  for await (const chunk of io.stdin) {
    data += String(chunk);
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0] ?? '';
}

export async function runStaffCommand(db: Db, command: 'users' | 'tokens', args: string[], io: StaffIo, now = () => new Date().toISOString()): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, id: { type: 'string' } },
    strict: true,
  });
  const out = (s: string) => io.stdout.write(s + '\n');
  const fail = (s: string) => {
    io.stderr.write(s + '\n');
    return 2;
  };
  const userByEmail = () => {
    if (!values.email) throw new StaffError('Informe --email.');
    const u = findUserByEmail(db, values.email);
    if (!u) throw new StaffError(`Usuário não encontrado: ${values.email}`);
    return u;
  };
  try {
    if (command === 'users') {
      switch (sub) {
        case 'add': {
          if (!values.name || !values.email || !values.role) return fail('Uso: users add --name "Nome" --email e-mail --role finance|support|admin');
          if (!ROLES.includes(values.role as never)) return fail(`Papel inválido: use ${ROLES.join(', ')}.`);
          const password = await readPassword(io, 'Senha (mínimo de 10 caracteres): ');
          const u = await createUser(db, { name: values.name, email: values.email, role: values.role, password, now: now() });
          out(`Usuário criado: #${u.id} ${u.name} <${u.email}> (${u.role})`);
          return 0;
        }
        case 'list':
          for (const u of listUsers(db)) out(`#${u.id}\t${u.role}\t${u.active ? 'ativo' : 'desativado'}\t${u.name} <${u.email}>`);
          return 0;
        case 'passwd': {
          const u = userByEmail();
          await setPassword(db, u.id, await readPassword(io, 'Nova senha (mínimo de 10 caracteres): '), now());
          out(`Senha trocada: ${u.email}`);
          return 0;
        }
        case 'disable':
        case 'enable': {
          const u = userByEmail();
          setUserActive(db, u.id, sub === 'enable', now());
          out(`${sub === 'enable' ? 'Reativado' : 'Desativado'}: ${u.email}`);
          return 0;
        }
      }
    } else {
      switch (sub) {
        case 'create': {
          const u = userByEmail();
          if (!u.active) return fail('Usuário desativado.');
          const { token, row } = createApiToken(db, u.id, values.name ?? 'cli', now());
          out(`Token #${row.id} para ${u.email} (guarde agora, não será mostrado de novo):`);
          out(token);
          return 0;
        }
        case 'list': {
          const owner = values.email ? userByEmail().id : undefined;
          for (const t of listApiTokens(db, owner)) out(`#${t.id}\t${t.prefix}…\t${t.revoked_at ? 'revogado' : 'ativo'}\t${t.user_name}\t${t.name}`);
          return 0;
        }
        case 'revoke': {
          const id = Number(values.id);
          if (!Number.isInteger(id)) return fail('Informe --id.');
          if (!revokeApiToken(db, id, undefined, now())) return fail(`Token #${id} não encontrado ou já revogado.`);
          out(`Token #${id} revogado.`);
          return 0;
        }
      }
    }
  } catch (err) {
    if (err instanceof StaffError) return fail(err.message);
    throw err;
  }
  return fail(`Uso:\n${STAFF_USAGE}`);
}
