import { awsProfileOfExec, execFlag } from './awsProfileOfExec';

/** The exec user `aws eks update-kubeconfig --profile prod` writes, with AWS_PROFILE set too. */
const both = {
  args: '--region us-west-2 eks get-token --cluster-name prod --profile prod'.split(' '),
  env: [{ name: 'AWS_PROFILE', value: 'dev' }],
};

describe('awsProfileOfExec', () => {
  it('takes an explicit --profile over AWS_PROFILE, as the AWS CLI does', () => {
    expect(awsProfileOfExec(both)).toBe('prod');
  });

  it('falls back to AWS_PROFILE, then to no profile (the default chain)', () => {
    expect(awsProfileOfExec({ args: both.args.slice(0, 6), env: both.env })).toBe('dev');
    expect(awsProfileOfExec({ args: both.args.slice(0, 6), env: null })).toBeUndefined();
    expect(awsProfileOfExec(undefined)).toBeUndefined();
  });

  it('reads --profile=P as well as --profile P', () => {
    expect(awsProfileOfExec({ args: ['eks', 'get-token', '--profile=ops'] })).toBe('ops');
    expect(execFlag(['--region=eu-west-1'], '--region')).toBe('eu-west-1');
  });
});
