/** A role trust policy that lets `principal` assume the role (`extra` adds to the statement: a Condition, say). */
export const assumeRolePolicy = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }],
});
