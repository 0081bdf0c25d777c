import { AwsError, type AwsRequest } from '../types';
import { listPage } from './listPage';

function request(query: Record<string, string>): AwsRequest {
  return { query: new URLSearchParams(query) } as unknown as AwsRequest;
}

function errorOf(f: () => unknown): AwsError {
  try {
    f();
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error('expected an AwsError');
}

const names = ['a', 'b', 'c', 'd', 'e'];

describe('listPage (EKS pagination)', () => {
  it('pages by maxResults with a base64url token naming the listing and the next offset', () => {
    const first = listPage(request({ maxResults: '2' }), 'clusters', names, 'ListClusters');
    expect(first).toEqual({
      clusters: ['a', 'b'],
      nextToken: Buffer.from('{"l":"ListClusters","o":2}').toString('base64url'),
    });
    const last = listPage(
      request({ maxResults: '3', nextToken: first.nextToken as string }),
      'clusters',
      names,
      'ListClusters',
    );
    expect(last).toEqual({ clusters: ['c', 'd', 'e'] });
  });

  it('returns at most 100 items when maxResults is absent', () => {
    const many = Array.from({ length: 101 }, (_, i) => i);
    const page = listPage(request({}), 'updateIds', many, 'ListUpdates/x/');
    expect((page.updateIds as number[]).length).toBe(100);
    expect(page.nextToken).toBeDefined();
  });

  it.each(['0', '101', '2.5', 'ten'])('refuses maxResults=%s as EKS does', (max) => {
    const e = errorOf(() => listPage(request({ maxResults: max }), 'addons', names, 'ListAddons'));
    expect([e.code, e.status, e.message]).toEqual([
      'InvalidParameterException',
      400,
      `maxResults must be between 1 and 100, got ${max}`,
    ]);
  });

  it('refuses a token of another listing, and one it never issued', () => {
    const other = listPage(request({ maxResults: '1' }), 'addons', names, 'ListAddons/arn-1');
    for (const token of [other.nextToken as string, 'not-a-token']) {
      const e = errorOf(() =>
        listPage(request({ nextToken: token }), 'addons', names, 'ListAddons/arn-2'),
      );
      expect([e.code, e.message]).toEqual([
        'InvalidParameterException',
        'The nextToken provided is invalid',
      ]);
    }
  });
});
