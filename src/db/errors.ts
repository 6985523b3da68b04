// SQLite failures that are about the storage, not about the request: the process keeps going
// and the person gets a clear message instead of "Erro interno".

export type StorageProblem = 'busy' | 'full' | 'readonly' | 'io';

export function storageProblem(err: unknown): StorageProblem | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return 'readonly';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return undefined;
}

/** What staff read when a change could not be recorded (pt-BR). */
export const STORAGE_MESSAGE: Record<StorageProblem, string> = {
  busy: 'O sistema está ocupado agora. Tente de novo em alguns segundos: nada foi alterado.',
  full: 'Não consigo registrar alterações agora: o disco do servidor está cheio. Nada foi alterado; a equipe técnica precisa liberar espaço.',
  readonly: 'Não consigo registrar alterações agora: o banco de dados está somente leitura. Nada foi alterado; a equipe técnica precisa corrigir as permissões.',
  io: 'Não consigo registrar alterações agora por um erro de disco. Nada foi alterado; tente de novo em alguns minutos.',
};

/** What a customer reads when their message could not be recorded (sent without the outbox). */
export const STORAGE_CUSTOMER_TEXT =
  'Desculpe, estou com um problema técnico e não consigo registrar pedidos agora. 🙏 Por favor, envie sua mensagem de novo em alguns minutos.';
