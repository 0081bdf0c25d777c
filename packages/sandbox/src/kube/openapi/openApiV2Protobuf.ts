/**
 * The OpenAPI v2 document in gnostic's protobuf form (`openapi.v2.Document`), which client-go's
 * discovery asks for (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`) when
 * kubectl and helm validate objects on the client. Only what the sandbox publishes is encoded:
 * swagger, info and definitions; in each schema the fields JSON Schema uses here, with values
 * the proto keeps as YAML (`default`, `enum`, vendor extensions such as
 * `x-kubernetes-group-version-kind`) written as YAML, as gnostic does.
 */
import { stringify } from 'yaml';
import type { Schema } from './kubeSchemas';

/** What kube-openapi answers with (the `@` of the requested type is not valid in a media type). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

class Writer {
  private chunks: Buffer[] = [];

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v) b |= 0x80;
      bytes.push(b);
    } while (v);
    this.chunks.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  string(field: number, s: string | undefined): void {
    if (s === undefined || s === '') return;
    this.bytes(field, Buffer.from(s, 'utf8'));
  }

  bytes(field: number, b: Buffer): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.chunks.push(b);
  }

  bool(field: number, v: unknown): void {
    if (v !== true) return;
    this.tag(field, 0);
    this.varint(1);
  }

  int(field: number, v: unknown): void {
    if (typeof v !== 'number') return;
    this.tag(field, 0);
    this.varint(v);
  }

  double(field: number, v: unknown): void {
    if (typeof v !== 'number') return;
    this.tag(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.chunks.push(b);
  }

  message(field: number, write: (w: Writer) => void): void {
    const w = new Writer();
    write(w);
    this.bytes(field, w.done());
  }

  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** `openapi.v2.Any` with its `yaml` (field 2). */
function any(w: Writer, field: number, value: unknown): void {
  w.message(field, (a) => a.string(2, stringify(value).trimEnd()));
}

function schema(w: Writer, s: Schema): void {
  w.string(1, s.$ref as string | undefined);
  w.string(2, s.format as string | undefined);
  w.string(3, s.title as string | undefined);
  w.string(4, s.description as string | undefined);
  if (s.default !== undefined) any(w, 5, s.default);
  w.double(6, s.multipleOf);
  w.double(7, s.maximum);
  w.bool(8, s.exclusiveMaximum);
  w.double(9, s.minimum);
  w.bool(10, s.exclusiveMinimum);
  w.int(11, s.maxLength);
  w.int(12, s.minLength);
  w.string(13, s.pattern as string | undefined);
  w.int(14, s.maxItems);
  w.int(15, s.minItems);
  w.bool(16, s.uniqueItems);
  w.int(17, s.maxProperties);
  w.int(18, s.minProperties);
  for (const r of (s.required as string[] | undefined) ?? []) w.string(19, r);
  for (const e of (s.enum as unknown[] | undefined) ?? []) any(w, 20, e);
  const ap = s.additionalProperties;
  if (typeof ap === 'boolean') w.message(21, (m) => m.bool(2, ap || undefined));
  else if (ap && typeof ap === 'object')
    w.message(21, (m) => m.message(1, (x) => schema(x, ap as Schema)));
  const type = s.type;
  if (type !== undefined)
    w.message(22, (m) => {
      for (const t of Array.isArray(type) ? type : [type]) m.string(1, String(t));
    });
  if (s.items && typeof s.items === 'object') {
    const items = Array.isArray(s.items) ? (s.items as Schema[]) : [s.items as Schema];
    w.message(23, (m) => {
      for (const i of items) m.message(1, (x) => schema(x, i));
    });
  }
  for (const a of (s.allOf as Schema[] | undefined) ?? []) w.message(24, (x) => schema(x, a));
  const props = s.properties as Record<string, Schema> | undefined;
  if (props)
    w.message(25, (m) => {
      for (const [name, p] of Object.entries(props)) named(m, 1, name, p);
    });
  w.bool(27, s.readOnly);
  for (const [k, v] of Object.entries(s))
    if (k.startsWith('x-'))
      w.message(31, (m) => {
        m.string(1, k);
        any(m, 2, v);
      });
}

/** A `NamedSchema` (name 1, value 2) as a repeated `field`. */
function named(w: Writer, field: number, name: string, s: Schema): void {
  w.message(field, (m) => {
    m.string(1, name);
    m.message(2, (x) => schema(x, s));
  });
}

/** The v2 document (as openApiV2Doc builds it) in protobuf. */
export function encodeOpenApiV2(doc: {
  swagger: string;
  info: { title: string; version: string };
  definitions: Record<string, Schema>;
}): Buffer {
  const w = new Writer();
  w.string(1, doc.swagger);
  w.message(2, (m) => {
    m.string(1, doc.info.title);
    m.string(2, doc.info.version);
  });
  w.message(8, () => undefined);
  w.message(9, (m) => {
    for (const [name, s] of Object.entries(doc.definitions)) named(m, 1, name, s);
  });
  return w.done();
}
