/**
 * Which AWS profile a kubeconfig exec user (what `aws eks update-kubeconfig --profile P` writes)
 * signs with, read the way the AWS CLI reads its own invocation: an explicit `--profile` beats
 * `AWS_PROFILE` in the environment, and no profile means the default credential chain. The CLI's
 * scan and the in-process token minting both read it here, so they reach the same account.
 */

/** What a kubeconfig user's `exec` section holds that matters here. */
export interface ExecUser {
  args?: readonly string[] | null;
  env?: readonly { name: string; value: string }[] | null;
}

/** The value of `--name VALUE` or `--name=VALUE` among an exec plugin's arguments. */
export function execFlag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/** The value of the exec plugin's environment variable `name`. */
export function execEnv(exec: ExecUser, name: string): string | undefined {
  return exec.env?.find((e) => e.name === name)?.value;
}

/** The AWS profile of an exec user: `--profile` first, then its `AWS_PROFILE`; else undefined. */
export function awsProfileOfExec(exec: ExecUser | undefined): string | undefined {
  if (!exec) return undefined;
  return execFlag(exec.args ?? [], '--profile') || execEnv(exec, 'AWS_PROFILE') || undefined;
}
