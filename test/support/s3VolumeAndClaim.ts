/**
 * The Mountpoint for Amazon S3 CSI driver's static provisioning: the PersistentVolume `s3-pv`
 * (1200Gi, ReadWriteMany) and the claim `s3-claim` that names it. `volumeSpec` adds to the volume's
 * spec (a reclaim policy, a storage class).
 */
export function s3VolumeAndClaim(
  opts: { namespace?: string; volumeSpec?: Record<string, unknown> } = {},
): [Record<string, unknown>, Record<string, unknown>] {
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 's3-pv' },
      spec: {
        capacity: { storage: '1200Gi' },
        accessModes: ['ReadWriteMany'],
        ...opts.volumeSpec,
        csi: { driver: 's3.csi.aws.com', volumeHandle: 's3-csi-driver-volume' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 's3-claim', ...(opts.namespace ? { namespace: opts.namespace } : {}) },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        resources: { requests: { storage: '1200Gi' } },
        volumeName: 's3-pv',
      },
    },
  ];
}
