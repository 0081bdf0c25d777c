/**
 * Decodes the Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`) for the few
 * types that kubectl's and helm's typed clients send that way: Namespace, Secret (helm's release
 * storage), ConfigMap, ServiceAccount, the authorization reviews (`kubectl auth can-i`) and the
 * RBAC objects (`kubectl create role|clusterrole|rolebinding|clusterrolebinding`). Field
 * numbers are those of k8s.io/api generated.proto. Everything else is refused with 415, which a
 * real server without protobuf support would also answer.
 */
import { KubeStatusError } from './KubeStatusError';

type Field =
  | { name: string; type: 'string' | 'bytes' | 'int' | 'bool'; repeated?: boolean }
  | { name: string; type: 'msg'; schema: Schema; repeated?: boolean }
  | { name: string; type: 'map'; value: 'string' | 'bytes' };
type Schema = Record<number, Field>;

/** Field builders, one per proto type. */
const str = (name: string): Field => ({ name, type: 'string' });
const strs = (name: string): Field => ({ name, type: 'string', repeated: true });
const bool = (name: string): Field => ({ name, type: 'bool' });
const map = (name: string, value: 'string' | 'bytes' = 'string'): Field => ({
  name,
  type: 'map',
  value,
});
const msg = (name: string, schema: Schema): Field => ({ name, type: 'msg', schema });
const msgs = (name: string, schema: Schema): Field => ({
  name,
  type: 'msg',
  schema,
  repeated: true,
});

const OWNER_REFERENCE: Schema = {
  1: str('kind'),
  3: str('name'),
  4: str('uid'),
  5: str('apiVersion'),
  6: bool('controller'),
  7: bool('blockOwnerDeletion'),
};

const OBJECT_META: Schema = {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  5: str('uid'),
  6: str('resourceVersion'),
  11: map('labels'),
  12: map('annotations'),
  13: msgs('ownerReferences', OWNER_REFERENCE),
  14: strs('finalizers'),
};

const meta = msg('metadata', OBJECT_META);

const RESOURCE_ATTRIBUTES: Schema = {
  1: str('namespace'),
  2: str('verb'),
  3: str('group'),
  4: str('version'),
  5: str('resource'),
  6: str('subresource'),
  7: str('name'),
};
const NON_RESOURCE_ATTRIBUTES: Schema = {
  1: str('path'),
  2: str('verb'),
};

const POLICY_RULE: Schema = {
  1: strs('verbs'),
  2: strs('apiGroups'),
  3: strs('resources'),
  4: strs('resourceNames'),
  5: strs('nonResourceURLs'),
};
const rules = msgs('rules', POLICY_RULE);
const BINDING: Schema = {
  1: meta,
  2: msgs('subjects', {
    1: str('kind'),
    2: str('apiGroup'),
    3: str('name'),
    4: str('namespace'),
  }),
  3: msg('roleRef', {
    1: str('apiGroup'),
    2: str('kind'),
    3: str('name'),
  }),
};

const SCHEMAS: Record<string, Schema> = {
  Role: { 1: meta, 2: rules },
  ClusterRole: {
    1: meta,
    2: rules,
    3: msg('aggregationRule', { 1: msgs('clusterRoleSelectors', { 1: map('matchLabels') }) }),
  },
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  SubjectAccessReview: {
    1: meta,
    2: msg('spec', {
      1: msg('resourceAttributes', RESOURCE_ATTRIBUTES),
      2: msg('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
      3: str('user'),
      4: strs('groups'),
      6: str('uid'),
    }),
  },
  Namespace: {
    1: meta,
    2: msg('spec', { 1: strs('finalizers') }),
  },
  Secret: {
    1: meta,
    2: map('data', 'bytes'),
    3: str('type'),
    4: map('stringData'),
    5: bool('immutable'),
  },
  ConfigMap: {
    1: meta,
    2: map('data'),
    3: map('binaryData', 'bytes'),
    4: bool('immutable'),
  },
  ServiceAccount: {
    1: meta,
    3: msgs('imagePullSecrets', { 1: str('name') }),
    4: bool('automountServiceAccountToken'),
  },
  SelfSubjectAccessReview: {
    1: meta,
    2: msg('spec', {
      1: msg('resourceAttributes', RESOURCE_ATTRIBUTES),
      2: msg('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
    }),
  },
  SelfSubjectRulesReview: {
    1: meta,
    2: msg('spec', { 1: str('namespace') }),
  },
};

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = r.varint();
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    const f = schema[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (f.type === 'int') value = r.varint();
    else if (f.type === 'bool') value = r.varint() !== 0;
    else if (f.type === 'string') value = r.bytes().toString('utf8');
    else if (f.type === 'bytes') value = r.bytes().toString('base64');
    else if (f.type === 'msg') value = decodeMessage(r.bytes(), f.schema);
    else if (f.type === 'map') {
      const entry = decodeMessage(r.bytes(), {
        1: { name: 'k', type: 'string' },
        2: { name: 'v', type: f.value },
      });
      const map = (out[f.name] ??= {}) as Record<string, unknown>;
      map[String(entry.k ?? '')] = entry.v ?? '';
      continue;
    } else {
      r.skip(wire);
      continue;
    }
    if ('repeated' in f && f.repeated) ((out[f.name] ??= []) as unknown[]).push(value);
    else out[f.name] = value;
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A protobuf-encoded object as JSON, or a 415 for kinds this server does not decode. */
export function decodeKubeProtobuf(raw: Buffer): Record<string, unknown> {
  if (raw.length < 4 || !raw.subarray(0, 4).equals(MAGIC))
    throw KubeStatusError.badRequest('provided object is not a Kubernetes protobuf envelope');
  let unknown: Record<string, unknown>;
  try {
    unknown = decodeMessage(raw.subarray(4), {
      1: {
        name: 'typeMeta',
        type: 'msg',
        schema: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
      },
      2: { name: 'raw', type: 'bytes' },
    });
  } catch (e) {
    throw KubeStatusError.badRequest(`unable to decode protobuf: ${(e as Error).message}`);
  }
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = typeMeta.kind ? SCHEMAS[typeMeta.kind] : undefined;
  if (!schema)
    throw KubeStatusError.unsupportedMediaType('application/vnd.kubernetes.protobuf', [
      'application/json',
      'application/yaml',
    ]);
  try {
    const body = decodeMessage(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema);
    return {
      apiVersion: typeMeta.apiVersion,
      kind: typeMeta.kind,
      ...body,
      metadata: body.metadata ?? {},
    };
  } catch (e) {
    throw KubeStatusError.badRequest(
      `unable to decode protobuf ${typeMeta.kind}: ${(e as Error).message}`,
    );
  }
}
