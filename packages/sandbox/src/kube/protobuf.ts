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

const OWNER_REFERENCE: Schema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  11: { name: 'labels', type: 'map', value: 'string' },
  12: { name: 'annotations', type: 'map', value: 'string' },
  13: { name: 'ownerReferences', type: 'msg', schema: OWNER_REFERENCE, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const meta: Field = { name: 'metadata', type: 'msg', schema: OBJECT_META };

const RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};
const NON_RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'path', type: 'string' },
  2: { name: 'verb', type: 'string' },
};

const POLICY_RULE: Schema = {
  1: { name: 'verbs', type: 'string', repeated: true },
  2: { name: 'apiGroups', type: 'string', repeated: true },
  3: { name: 'resources', type: 'string', repeated: true },
  4: { name: 'resourceNames', type: 'string', repeated: true },
  5: { name: 'nonResourceURLs', type: 'string', repeated: true },
};
const rules: Field = { name: 'rules', type: 'msg', schema: POLICY_RULE, repeated: true };
const BINDING: Schema = {
  1: meta,
  2: {
    name: 'subjects',
    type: 'msg',
    schema: {
      1: { name: 'kind', type: 'string' },
      2: { name: 'apiGroup', type: 'string' },
      3: { name: 'name', type: 'string' },
      4: { name: 'namespace', type: 'string' },
    },
    repeated: true,
  },
  3: {
    name: 'roleRef',
    type: 'msg',
    schema: {
      1: { name: 'apiGroup', type: 'string' },
      2: { name: 'kind', type: 'string' },
      3: { name: 'name', type: 'string' },
    },
  },
};

const SCHEMAS: Record<string, Schema> = {
  Role: { 1: meta, 2: rules },
  ClusterRole: {
    1: meta,
    2: rules,
    3: {
      name: 'aggregationRule',
      type: 'msg',
      schema: {
        1: {
          name: 'clusterRoleSelectors',
          type: 'msg',
          schema: { 1: { name: 'matchLabels', type: 'map', value: 'string' } },
          repeated: true,
        },
      },
    },
  },
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  SubjectAccessReview: {
    1: meta,
    2: {
      name: 'spec',
      type: 'msg',
      schema: {
        1: { name: 'resourceAttributes', type: 'msg', schema: RESOURCE_ATTRIBUTES },
        2: { name: 'nonResourceAttributes', type: 'msg', schema: NON_RESOURCE_ATTRIBUTES },
        3: { name: 'user', type: 'string' },
        4: { name: 'groups', type: 'string', repeated: true },
        6: { name: 'uid', type: 'string' },
      },
    },
  },
  Namespace: {
    1: meta,
    2: {
      name: 'spec',
      type: 'msg',
      schema: { 1: { name: 'finalizers', type: 'string', repeated: true } },
    },
  },
  Secret: {
    1: meta,
    2: { name: 'data', type: 'map', value: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map', value: 'string' },
    5: { name: 'immutable', type: 'bool' },
  },
  ConfigMap: {
    1: meta,
    2: { name: 'data', type: 'map', value: 'string' },
    3: { name: 'binaryData', type: 'map', value: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  ServiceAccount: {
    1: meta,
    3: {
      name: 'imagePullSecrets',
      type: 'msg',
      schema: { 1: { name: 'name', type: 'string' } },
      repeated: true,
    },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  SelfSubjectAccessReview: {
    1: meta,
    2: {
      name: 'spec',
      type: 'msg',
      schema: {
        1: { name: 'resourceAttributes', type: 'msg', schema: RESOURCE_ATTRIBUTES },
        2: { name: 'nonResourceAttributes', type: 'msg', schema: NON_RESOURCE_ATTRIBUTES },
      },
    },
  },
  SelfSubjectRulesReview: {
    1: meta,
    2: { name: 'spec', type: 'msg', schema: { 1: { name: 'namespace', type: 'string' } } },
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
