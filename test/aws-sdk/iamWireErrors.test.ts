/**
 * The sandbox's IAM answering bad awsQuery input on the wire: unknown or missing actions, missing
 * parameters, unsigned requests.
 */
import { signedFetch } from '../support/signedFetch';
import { unsignedQuery } from '../support/awsHarness';
import { h, useIamSandbox } from './iamSandbox';

useIamSandbox();

describe('bad input on the wire', () => {
  const post = (body: string) =>
    signedFetch({
      endpoint: h.endpoint,
      service: 'iam',
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      credentials: h.credentials(),
    });

  test('an unknown Action is InvalidAction, a missing one MissingAction', async () => {
    const unknown = await post('Action=LaunchRockets&Version=2010-05-08');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    const missing = await post('Version=2010-05-08');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<Code>MissingAction</Code>');
  });

  test('a missing required parameter is a ValidationError', async () => {
    const res = await post('Action=GetRole&Version=2010-05-08');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>ValidationError</Code>');
    expect(res.text.replace(/&apos;/g, "'")).toContain(
      "Value null at 'roleName' failed to satisfy constraint: Member must not be null",
    );
  });

  test('an unsigned request is refused with MissingAuthenticationToken (403)', async () => {
    const res = await unsignedQuery(h, 'Action=ListRoles&Version=2010-05-08');
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});
