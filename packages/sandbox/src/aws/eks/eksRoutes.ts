/**
 * The EKS REST routes the sandbox serves (botocore `eks/2017-11-01`): method + path template →
 * operation, with the path parameters decoded.
 */

export type EksOperation =
  | 'ListClusters'
  | 'DescribeCluster'
  | 'ListAddons'
  | 'CreateAddon'
  | 'DescribeAddon'
  | 'DeleteAddon'
  | 'UpdateAddon'
  | 'ListUpdates'
  | 'DescribeUpdate'
  | 'DescribeAddonVersions'
  | 'DescribeAddonConfiguration';

export interface EksRoute {
  operation: EksOperation;
  /** Path parameters: name (cluster), addonName, updateId. */
  params: { name?: string; addonName?: string; updateId?: string };
}

const ROUTES: [method: string, template: string[], operation: EksOperation][] = [
  ['GET', ['clusters'], 'ListClusters'],
  ['GET', ['clusters', '{name}'], 'DescribeCluster'],
  ['GET', ['clusters', '{name}', 'addons'], 'ListAddons'],
  ['POST', ['clusters', '{name}', 'addons'], 'CreateAddon'],
  ['GET', ['clusters', '{name}', 'addons', '{addonName}'], 'DescribeAddon'],
  ['DELETE', ['clusters', '{name}', 'addons', '{addonName}'], 'DeleteAddon'],
  ['POST', ['clusters', '{name}', 'addons', '{addonName}', 'update'], 'UpdateAddon'],
  ['GET', ['clusters', '{name}', 'updates'], 'ListUpdates'],
  ['GET', ['clusters', '{name}', 'updates', '{updateId}'], 'DescribeUpdate'],
  ['GET', ['addons', 'supported-versions'], 'DescribeAddonVersions'],
  ['GET', ['addons', 'configuration-schemas'], 'DescribeAddonConfiguration'],
];

export function matchEksRoute(method: string, rawPath: string): EksRoute | undefined {
  const segments = rawPath
    .split('/')
    .filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  for (const [m, template, operation] of ROUTES) {
    if (m !== method || template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < template.length && ok; i++) {
      const t = template[i]!;
      const s = segments[i]!;
      if (t.startsWith('{')) {
        const v = decode(s);
        if (v === undefined || v === '') ok = false;
        else params[t.slice(1, -1)] = v;
      } else if (t !== s) ok = false;
    }
    if (ok) return { operation, params };
  }
  return undefined;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
