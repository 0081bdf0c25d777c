/**
 * A role in the sandbox's dev account that its prod account may assume: the role `--role-arn`
 * users name (seed it with `sb.services.iam.seedRole(FLEET_READER_ROLE)`).
 */
export const FLEET_READER_ROLE = {
  accountId: '222222222222',
  name: 'hyperpod-fleet-reader',
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'sts:AssumeRole',
      },
    ],
  },
};
