/**
 * The plugin's logger with the core's redaction applied to every message and string field: log
 * lines quote AWS and Kubernetes errors, which can quote configuration values (a database URL with
 * its password, a webhook URL), and logs are read by more people than the values were meant for.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { redactText } from '@hyperpod/core';

type Meta = Parameters<LoggerService['info']>[1];
type JsonObject = Parameters<LoggerService['child']>[0];

function redactMeta(meta: Meta): Meta {
  if (meta === undefined) return undefined;
  if (meta instanceof Error) {
    const e = new Error(redactText(meta.message));
    e.name = meta.name;
    if (meta.stack) e.stack = redactText(meta.stack);
    return e;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(meta)) out[k] = typeof v === 'string' ? redactText(v) : v;
  return out;
}

export function redactingLogger(logger: LoggerService): LoggerService {
  const wrap = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, meta?: Meta) =>
    logger[level](redactText(message), redactMeta(meta));
  return {
    error: wrap('error'),
    warn: wrap('warn'),
    info: wrap('info'),
    debug: wrap('debug'),
    child: (meta: JsonObject) => redactingLogger(logger.child(meta)),
  };
}
