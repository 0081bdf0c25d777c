/** Reading a request body (within kube-apiserver's size limit) and decoding it as JSON, YAML or protobuf. */
import { parse as parseYaml } from 'yaml';
import { KubeStatusError } from './KubeStatusError';
import type { Req } from './httpExchange';
import { decodeKubeProtobuf } from './protobuf';

/** kube-apiserver's request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: Req): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(KubeStatusError.tooLarge(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        chunks.length = 0;
        reject(KubeStatusError.tooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

export function decodeJson(raw: Buffer, prefix: string): unknown {
  if (raw.length === 0) throw KubeStatusError.badRequest(`${prefix}: unexpected end of JSON input`);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw KubeStatusError.badRequest(`${prefix}: ${(e as Error).message}`);
  }
}

export function decodeObject(raw: Buffer, contentType: string): unknown {
  if (contentType === 'application/yaml') return decodeYaml(raw);
  if (contentType === 'application/vnd.kubernetes.protobuf') return decodeKubeProtobuf(raw);
  if (contentType && contentType !== 'application/json' && contentType !== '*/*') {
    throw KubeStatusError.unsupportedMediaType(contentType, [
      'application/json',
      'application/yaml',
    ]);
  }
  return decodeJson(raw, "couldn't get version/kind; json parse error");
}

export function decodeYaml(raw: Buffer): unknown {
  if (raw.length === 0) throw KubeStatusError.badRequest('error decoding YAML: empty body');
  try {
    return parseYaml(raw.toString('utf8'), { maxAliasCount: 100 });
  } catch (e) {
    throw KubeStatusError.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}
