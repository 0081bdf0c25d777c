/**
 * Server-side field validation (`fieldValidation=Strict|Warn|Ignore`) against the schemas the
 * cluster publishes, built-in and CRD-defined.
 */
import type { KubeCluster } from './KubeCluster';
import { KubeStatusError } from './KubeStatusError';
import { groupVersion, type ResourceType } from './ResourceTypes';
import type { Res } from './httpExchange';
import { clusterDefinitions, type Schema } from './openapi/kubeSchemas';
import { unknownFields } from './openapi/unknownFields';

export class FieldValidator {
  constructor(private readonly cluster: KubeCluster) {}

  private definitionsCache?: { revision: number; defs: Record<string, Schema> };

  /**
   * The published schemas, recomputed only when a CRD changed (listing the CRDs clones them, and
   * every write is checked against these).
   */
  definitions(): Record<string, Schema> {
    const revision = this.cluster.crdsRevision;
    if (this.definitionsCache?.revision !== revision) {
      const crds = this.cluster.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
      this.definitionsCache = { revision, defs: clusterDefinitions(this.cluster.types(), crds) };
    }
    return this.definitionsCache.defs;
  }

  /**
   * Server-side field validation of a decoded body: Strict refuses undeclared fields with 400,
   * Warn (the default) answers with a Warning header per field, Ignore does nothing.
   */
  check(res: Res, rt: ResourceType, obj: unknown, mode: string | null, applying: boolean): void {
    if (mode === 'Ignore') return;
    const defs = this.definitions();
    const name = Object.keys(defs).find((n) =>
      ((defs[n]!['x-kubernetes-group-version-kind'] ?? []) as ResourceType[]).some(
        (g) => g.group === rt.group && g.version === rt.version && g.kind === rt.kind,
      ),
    );
    if (!name) return;
    const unknown = unknownFields(obj, defs[name]!, defs);
    if (unknown.length === 0) return;
    if (mode === 'Strict') {
      if (applying)
        throw KubeStatusError.badRequest(
          `failed to create typed patch object (${groupVersion(rt)}, Kind=${rt.kind}): ${unknown.map((f) => `.${f}: field not declared in schema`).join(', ')}`,
        );
      throw KubeStatusError.badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    res.setHeader(
      'warning',
      unknown.map((f) => `299 - "unknown field \\"${f}\\""`),
    );
  }
}
