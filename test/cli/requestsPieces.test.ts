/**
 * The parts of `kubectl hyperpod requests` that need no backend: reading backend URLs and tokens,
 * and the request tables' ages and one-line text.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { UpgradeRequest } from '@hyperpod/core';
import { FROM, LATEST, VPC_CNI } from '../portal/support';
import {
  type CliError,
  ExitCode,
  formatRequest,
  formatRequestList,
  humanDuration,
  oneLine,
  cleanToken,
  portalApiUrl,
  tokenSubject,
} from 'kubectl-hyperpod/testing';

const ALICE = 'user:default/alice';

describe('requests: the pieces without a backend', () => {
  it('reads backend URLs: the backend root or the API root, http or https, no credentials', () => {
    const fix = (v: string) => `fix ${v}`;
    expect(portalApiUrl('http://localhost:7007', fix).href).toBe(
      'http://localhost:7007/api/hyperpod',
    );
    expect(portalApiUrl('https://portal.example.com/backstage/', fix).href).toBe(
      'https://portal.example.com/backstage/api/hyperpod',
    );
    expect(portalApiUrl('http://127.0.0.1:7007/api/hyperpod/', fix).href).toBe(
      'http://127.0.0.1:7007/api/hyperpod',
    );
    const thrown = (raw: string) => {
      try {
        portalApiUrl(raw, fix);
      } catch (e) {
        return e as CliError;
      }
      throw new Error(`accepted ${raw}`);
    };
    expect(thrown('localhost:7007').exitCode).toBe(ExitCode.Config);
    expect(thrown('file:///etc/passwd').message).toMatch(/must be http or https, not file$/);
    const withPassword = thrown('https://bob:s3cret@portal.example.com');
    expect(withPassword.message).not.toContain('s3cret');
    expect(withPassword.fix).toBe('fix https://portal.example.com');
  });

  it('cleans tokens and reads the user of a JWT for --mine', () => {
    expect(cleanToken('  Bearer abc.def.ghi\n')).toBe('abc.def.ghi');
    expect(cleanToken('abc def')).toBeUndefined();
    expect(cleanToken('abc\ndef')).toBeUndefined();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'ES256' })}.${b64({ sub: ALICE, ent: [ALICE] })}.c2ln`;
    expect(tokenSubject(jwt)).toBe(ALICE);
    expect(tokenSubject(`${b64({ alg: 'ES256' })}.${b64({ sub: 'plugin:catalog' })}.c2ln`)).toBe(
      undefined,
    );
    expect(tokenSubject(mockCredentials.user.token(ALICE))).toBeUndefined();
  });

  it('ages like kubectl and keeps other people’s text on one printable line', () => {
    const s = 1000;
    expect(
      [45 * s, 200 * s, 17 * 60 * s, 5 * 3600 * s + 12 * 60 * s, 30 * 3600 * s, 76 * 3600 * s].map(
        humanDuration,
      ),
    ).toEqual(['45s', '3m20s', '17m', '5h12m', '30h', '3d4h']);
    expect(oneLine('fix\n\u001b[31mnow\u001b[0m\tplease')).toBe('fix [31mnow [0m please');
    const request: UpgradeRequest = {
      id: '3f9a1c2e-1111-4222-8333-444455556666',
      cluster: { id: 'us-east-1/ml-prod-use1', name: 'ml-prod-use1', region: 'us-east-1' },
      addonName: VPC_CNI,
      target: 'latest',
      targetVersion: LATEST,
      fromVersion: FROM,
      reason: 'line one\nline two \u001b]0;pwned\u0007',
      state: 'requested',
      requestedBy: 'user:ops/alice',
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
      attempts: 0,
      history: [
        { at: '2026-01-01T10:00:00.000Z', actor: 'user:ops/alice', to: 'requested', note: 'x' },
      ],
    };
    const now = Date.parse('2026-01-01T10:03:00Z');
    const opts = { wide: true, colour: false, now };
    const wide = formatRequestList({ items: [request] }, opts);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(wide).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(wide.split('\n')[1]).toMatch(
      /^3f9a1c2e-1111-4222-8333-444455556666 +ml-prod-use1 .* user:ops\/alice +3m +<none> +line one line two \]0;pwned$/,
    );
    const table = formatRequestList({ items: [request] }, { ...opts, wide: false });
    expect(table.split('\n')[1]).toBe(
      `3f9a1c2e   ml-prod-use1   vpc-cni   ${FROM}   ${LATEST}   requested   user:ops/alice   3m`,
    );
    expect(formatRequest(request, opts)).toContain(
      '  requested by:  user:ops/alice at 2026-01-01T10:00:00Z (3m ago)\n  reason:        line one line two ]0;pwned\n  decided by:    <none>\n',
    );
  });
});
