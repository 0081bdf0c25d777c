/**
 * A Helm manifest (a release's stored `manifest`, a hook's, `helm template` output, a chart's
 * `crds/` file) read into objects the way Helm itself reads it back: Helm's kube client hands the
 * text to Kubernetes' YAML reader, which cuts it at `---` lines and decodes every document, then
 * flattens lists. So:
 *
 * - a separator is a line that starts with `---` followed by nothing but spaces or a `#` comment
 *   (`---apiVersion: v1` is not one, as for Kubernetes);
 * - every YAML document is an object; documents with nothing but comments or blanks are ignored;
 * - `# Source: <path>` comments are optional; when present (Helm writes one before each document it
 *   stores) the path applies to that document and to the ones after it, until the next one: Helm
 *   stores a template that itself begins with `---` as `---\n# Source: f\n---\n<object>`;
 * - an object with an `items` array (`kind: List`, `ConfigMapList`...) stands for its items, as
 *   kubectl and Helm's kube client flatten it;
 * - anything else (YAML that does not parse, a document that is not an object, an object without
 *   apiVersion, kind or metadata.name) is an error: returned, never dropped silently.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../ports/KubeGateway';

export interface ManifestDocument {
  object: KubeObject;
  /** The template Helm rendered it from (`# Source:`), when the manifest says. */
  source?: string;
  /** Index of the YAML document in the manifest, from 0, counting ignored ones too. */
  document: number;
}

export interface SplitManifest {
  documents: ManifestDocument[];
  /** One line per document that is not an object Helm could apply. */
  errors: string[];
}

const SOURCE = /^#\s*Source:\s*(\S.*?)\s*$/;

/** The YAML documents of a manifest as text, cut where Kubernetes' YAML reader cuts. */
export function manifestChunks(manifest: string): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  for (const line of manifest.split(/\r?\n/)) {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest === '' || rest.startsWith('#')) {
        chunks.push(current.join('\n'));
        current = rest ? [rest] : [];
        continue;
      }
    }
    current.push(line);
  }
  chunks.push(current.join('\n'));
  return chunks;
}

/**
 * The last few manifests read, by text and source: a run reads its release's manifest several
 * times (discovery, the object list, the scope, the components), and parsing YAML is most of a
 * large umbrella's cost. Callers get their own copy.
 */
const recent = new Map<string, Map<string, SplitManifest>>();
const RECENT = 8;

export function splitManifest(manifest: string, opts: { source?: string } = {}): SplitManifest {
  const source = opts.source ?? '';
  let bySource = recent.get(manifest);
  let read = bySource?.get(source);
  if (!read) {
    read = readManifestText(manifest, opts.source);
    if (!bySource) {
      bySource = new Map();
      recent.set(manifest, bySource);
      if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
    }
    bySource.set(source, read);
  }
  return copy(read);
}

/** A deep copy of what YAML decodes to (plain objects, arrays, scalars). */
function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = copy(x);
  return out as T;
}

function readManifestText(manifest: string, firstSource: string | undefined): SplitManifest {
  const documents: ManifestDocument[] = [];
  const errors: string[] = [];
  let source = firstSource;
  manifestChunks(manifest).forEach((chunk, index) => {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      if (!line.startsWith('#')) break;
      const m = SOURCE.exec(line);
      if (m) source = m[1];
    }
    if (chunk.trim() === '') return;
    const where = `document ${index + 1}${source ? ` (${source})` : ''}`;
    for (const doc of parseAllDocuments(chunk)) {
      if (doc.errors.length > 0) {
        errors.push(`${where}: ${doc.errors[0]!.message.split('\n')[0]}`);
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS();
      } catch (e) {
        // An alias without its anchor, an alias bomb: YAML that parses but has no value.
        errors.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (value === null || value === undefined) continue;
      flatten(
        value,
        where,
        (object) => documents.push({ object, ...(source ? { source } : {}), document: index }),
        errors,
      );
    }
  });
  return { documents, errors };
}

function flatten(
  value: unknown,
  where: string,
  emit: (o: KubeObject) => void,
  errors: string[],
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`${where}: not an object`);
    return;
  }
  const o = value as Record<string, unknown>;
  if (Array.isArray(o['items'])) {
    o['items'].forEach((item, i) => flatten(item, `${where} item ${i + 1}`, emit, errors));
    return;
  }
  const metadata = o['metadata'] as Record<string, unknown> | undefined;
  const missing = [
    typeof o['apiVersion'] === 'string' && o['apiVersion'] ? undefined : 'apiVersion',
    typeof o['kind'] === 'string' && o['kind'] ? undefined : 'kind',
    metadata && typeof metadata['name'] === 'string' && metadata['name']
      ? undefined
      : 'metadata.name',
  ].filter(Boolean);
  if (missing.length > 0) {
    errors.push(`${where}: object has no ${missing.join(', ')}`);
    return;
  }
  emit(o as KubeObject);
}

/** The chart path a `# Source:` names: `top/charts/a/charts/b/templates/x.yaml` → `[top, a, b]`. */
export function chartPathOf(source: string | undefined): string[] {
  if (!source) return [];
  const parts = source.split('/');
  const chartPath = [parts[0]!];
  // `<chart>/charts/<sub>/...` nests; anything else (templates/, crds/) ends the chart path.
  for (let i = 1; i + 2 < parts.length && parts[i] === 'charts'; i += 2)
    chartPath.push(parts[i + 1]!);
  return chartPath;
}
