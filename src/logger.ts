import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskPii, maskPiiDeep } from './pii.js';

export type { Logger };

// Fields that hold personal data are removed outright; everything else is scrubbed
// by maskPii so a CPF typed inside a message text never reaches a log raw.
const REDACT_PATHS = [
  'cpf', 'cnpj', 'document', 'email', 'phone', 'password', 'token', 'pixKey',
  '*.cpf', '*.cnpj', '*.document', '*.email', '*.phone', '*.password', '*.token', '*.pixKey',
  'req.headers.cookie', 'req.headers.authorization',
];

export function createLogger(
  opts: { level?: string; format?: 'auto' | 'json' | 'pretty'; destination?: number; /** JSON lines to this stream instead (tests). */ stream?: DestinationStream } = {},
): Logger {
  const destination = opts.destination ?? 2; // stderr: stdout belongs to the simulator
  const pretty = opts.format === 'pretty' || (opts.format !== 'json' && process.stderr.isTTY === true);
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: {
      log: (obj) => maskPiiDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPii(a) : a)) as typeof args;
        // logger.error(err) alone: pino would use the raw err.message as the line's msg.
        if (masked.length === 1 && masked[0] instanceof Error) masked.push(maskPii((masked[0] as Error).message));
        method.apply(this, masked);
      },
    },
  };
  if (opts.stream) return maskChildBindings(pino(options, opts.stream));
  if (pretty) {
    return maskChildBindings(pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination, colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    }));
  }
  return maskChildBindings(pino(options, pino.destination({ dest: destination, sync: true })));
}

/**
 * pino writes logger.child({ chatId }) bindings as given (its bindings formatter is reset for
 * children), so scrub them on the way in; grandchildren inherit this child() through the prototype.
 */
function maskChildBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, options?: unknown) {
    return child.call(this, maskPiiDeep(bindings) as Record<string, unknown>, options as never);
  } as Logger['child'];
  return logger;
}

/** A logger that writes nothing: for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
