import { pino, type Logger, type LoggerOptions } from 'pino';
import { maskPii, maskPiiDeep } from './pii.js';

export type { Logger };

// Fields that hold personal data are removed outright; everything else is scrubbed
// by maskPii so a CPF typed inside a message text never reaches a log raw.
const REDACT_PATHS = [
  'cpf', 'cnpj', 'document', 'email', 'phone', 'password', 'token', 'pixKey',
  '*.cpf', '*.cnpj', '*.document', '*.email', '*.phone', '*.password', '*.token', '*.pixKey',
  'req.headers.cookie', 'req.headers.authorization',
];

export function createLogger(opts: { level?: string; format?: 'auto' | 'json' | 'pretty'; destination?: number } = {}): Logger {
  const destination = opts.destination ?? 2; // stderr: stdout belongs to the simulator
  const pretty = opts.format === 'pretty' || (opts.format !== 'json' && process.stderr.isTTY === true);
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { log: (obj) => maskPiiDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPii(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination, colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(options, pino.destination({ dest: destination, sync: true }));
}

/** A logger that writes nothing: for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
