/**
 * The top-level properties of a custom resource whose schema the sandbox trims (the cert-manager
 * and load balancer controller CRDs): the type and object meta, and a spec and status of any shape.
 */
export function openResourceProperties(): Record<string, unknown> {
  return {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  };
}
