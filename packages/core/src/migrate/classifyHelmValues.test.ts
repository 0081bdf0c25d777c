/**
 * The lossy-migration guard's ledger on values shaped exactly as the real charts' values.yaml
 * documents them (aws-mountpoint-s3-csi-driver 1.14.1, aws-fsx-csi-driver 1.11.0, cert-manager
 * v1.18.2 under the inference chart 2.2.2): keys with dots in them (IRSA annotations) included.
 */
import fc from 'fast-check';
import { classifyHelmValues } from './classifyHelmValues';
import { formatValuesPath, getPath, leafPaths, parseValuesPath } from './manifest';
import { findProfile } from './profiles';

const IRSA = 'eks.amazonaws.com/role-arn';
const S3_ROLE = 'arn:aws:iam::111111111111:role/s3-csi-driver-role';
const FSX_ROLE = 'arn:aws:iam::111111111111:role/fsx-csi-driver-role';

const opts = {
  prefix: '',
  schemaText: undefined,
  addonVersion: 'v1.14.1-eksbuild.1',
  classifiedElsewhere: [],
  notMigrated: {},
};

describe('values paths as key lists', () => {
  it('a key with dots is one key, written as helm --set escapes it', () => {
    const values = { node: { serviceAccount: { annotations: { [IRSA]: S3_ROLE } } } };
    expect(leafPaths(values)).toEqual([['node', 'serviceAccount', 'annotations', IRSA]]);
    const written = formatValuesPath(['node', 'serviceAccount', 'annotations', IRSA]);
    expect(written).toBe('node.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn');
    expect(parseValuesPath(written)).toEqual(['node', 'serviceAccount', 'annotations', IRSA]);
    expect(getPath(values, written)).toBe(S3_ROLE);
  });

  it('any key round-trips, and every leaf is read back (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 6 }).map((s) => s.replace(/[^a-z.\\/]/g, '.'));
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 5 }), (keys) => {
        expect(parseValuesPath(formatValuesPath(keys))).toEqual(keys);
      }),
    );
    const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string({ minLength: 1 }),
        fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), (values) => {
        for (const p of leafPaths(values)) expect(getPath(values, p)).not.toBeUndefined();
      }),
    );
  });
});

describe('classifyHelmValues', () => {
  it('S3 CSI driver: the node service account IRSA annotation becomes the add-on role', () => {
    const s3 = findProfile('aws-mountpoint-s3-csi-driver')!;
    const values = { node: { serviceAccount: { annotations: { [IRSA]: S3_ROLE } } } };
    expect(classifyHelmValues(s3, values, opts)).toEqual([
      {
        key: 'node.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn',
        disposition: 'mapped',
        addonName: 'aws-mountpoint-s3-csi-driver',
        target: 'serviceAccountRoleArn',
      },
    ]);
    const m = s3.mappings.find((x) => x.serviceAccountRoleOf && getPath(values, x.from));
    expect(m && getPath(values, m.from)).toBe(S3_ROLE);
  });

  it('FSx CSI driver: the controller service account IRSA annotation becomes the add-on role', () => {
    const fsx = findProfile('aws-fsx-csi-driver')!;
    const values = {
      controller: { serviceAccount: { annotations: { [IRSA]: FSX_ROLE } } },
      node: { serviceAccount: { annotations: { [IRSA]: FSX_ROLE } } },
    };
    const ledger = classifyHelmValues(fsx, values, opts);
    expect(ledger).toEqual([
      {
        key: 'controller.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn',
        disposition: 'mapped',
        addonName: 'aws-fsx-csi-driver',
        target: 'serviceAccountRoleArn',
      },
      // The add-on's role goes to its controller's service account only: the node's is lost.
      {
        key: 'node.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn',
        disposition: 'dropped',
        reason: "no mapping to the add-on's configuration",
      },
    ]);
  });

  it('the umbrella maps the sub-charts IRSA annotations to their add-ons', () => {
    const inference = findProfile('hyperpod-inference')!;
    const values = {
      s3: { node: { serviceAccount: { annotations: { [IRSA]: S3_ROLE } } } },
      fsx: { controller: { serviceAccount: { annotations: { [IRSA]: FSX_ROLE } } } },
    };
    const byAddon = Object.fromEntries(
      inference.mappings
        .filter((m) => m.serviceAccountRoleOf && getPath(values, m.from) !== undefined)
        .map((m) => [m.serviceAccountRoleOf, getPath(values, m.from)]),
    );
    expect(byAddon).toEqual({
      'aws-mountpoint-s3-csi-driver': S3_ROLE,
      'aws-fsx-csi-driver': FSX_ROLE,
    });
  });

  it('every user-set leaf appears exactly once, whatever its keys (property)', () => {
    const s3 = findProfile('aws-mountpoint-s3-csi-driver')!;
    const key = fc.constantFrom(
      'node',
      'serviceAccount',
      'annotations',
      IRSA,
      'a.b',
      'x',
      'enabled',
    );
    const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('v', 1, true),
        fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), (values) => {
        const ledger = classifyHelmValues(s3, values, opts).map((v) => v.key);
        expect(new Set(ledger).size).toBe(ledger.length);
        expect(ledger.sort()).toEqual(leafPaths(values).map(formatValuesPath).sort());
      }),
    );
  });

  it('cert-manager crds.enabled=false is consumed by the add-on, not a drop; a sub-chart turned off is', () => {
    const cm = findProfile('cert-manager')!;
    expect(
      classifyHelmValues(cm, { crds: { enabled: false } }, { ...opts, prefix: 'cert-manager' }),
    ).toEqual([
      {
        key: 'cert-manager.crds.enabled',
        disposition: 'default',
        reason: 'the add-on sets this itself',
      },
    ]);
    const inference = findProfile('hyperpod-inference')!;
    expect(classifyHelmValues(inference, { fsx: { enabled: false } }, opts)).toEqual([
      {
        key: 'fsx.enabled',
        disposition: 'dropped',
        reason: 'the add-on always runs this component',
      },
    ]);
  });
});
