/** A hand edit of CoreDNS, as `kubectl edit` makes it. */
import type { Sandbox, SandboxCluster } from '../Sandbox';

/**
 * What a ConfigurationConflict on coredns reports, done as `kubectl edit` does it (an Update with
 * field manager `kubectl-edit`): the Corefile forwards to a corporate resolver and the image is a
 * patched build, so those fields belong to kubectl-edit and EKS's apply (NONE) stops at them.
 */
export function handEditCoreDns(sb: Sandbox, c: SandboxCluster): void {
  const kube = sb.kube(c.name);
  const ref = (apiVersion: string, kind: string) => ({
    apiVersion,
    kind,
    namespace: 'kube-system',
    name: 'coredns',
  });
  const cm = kube.get(ref('v1', 'ConfigMap'))!;
  const data = cm['data'] as Record<string, string>;
  kube.update(
    {
      ...cm,
      data: {
        ...data,
        Corefile: data['Corefile']!.replace('forward . /etc/resolv.conf', 'forward . 10.20.0.2'),
      },
    },
    'kubectl-edit',
  );
  const deploy = kube.get(ref('apps/v1', 'Deployment'))!;
  const spec = JSON.parse(JSON.stringify(deploy['spec'])) as {
    template: { spec: { containers: { name: string; image: string }[] } };
  };
  const container = spec.template.spec.containers.find((x) => x.name === 'coredns')!;
  container.image = container.image.replace(/:[^:]+$/, ':v1.11.4-patched');
  kube.update({ ...deploy, spec }, 'kubectl-edit');
}
