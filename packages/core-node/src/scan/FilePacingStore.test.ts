import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pacer, type PacingTicket } from '@hyperpod/core';
import { FilePacingStore } from './FilePacingStore';

const SCOPE = '111111111111/us-east-1';

describe('FilePacingStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pacing-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what one run learned for the next run, in the cache directory', async () => {
    const first = new Pacer({ store: new FilePacingStore(join(dir, 'cache')), memberId: 'one' });
    const t: PacingTicket = await first.take(SCOPE);
    first.throttled(t);
    await first.close();
    const file = JSON.parse(readFileSync(join(dir, 'cache', 'pacing.json'), 'utf8'));
    expect(file).toMatchObject({
      schemaVersion: 1,
      scopes: {
        [SCOPE]: { state: { rate: 9, ceiling: 10 }, members: { one: expect.any(Number) } },
      },
    });

    expect(file.scopes[SCOPE].members.one).toBeLessThan(0); // it left
    const second = new Pacer({ store: new FilePacingStore(join(dir, 'cache')), memberId: 'two' });
    await second.take(SCOPE);
    expect(second.state(SCOPE)).toMatchObject({ rate: 9, ceiling: 10 });
  });

  it('starts afresh from a file it cannot read', async () => {
    writeFileSync(join(dir, 'pacing.json'), '{not json');
    const store = new FilePacingStore(dir);
    expect(await store.read(SCOPE)).toBeUndefined();
    writeFileSync(
      join(dir, 'pacing.json'),
      JSON.stringify({ schemaVersion: 1, scopes: { [SCOPE]: { state: { rate: -1 } } } }),
    );
    expect(await store.read(SCOPE)).toBeUndefined();
    const pacer = new Pacer({ store });
    await pacer.take(SCOPE);
    expect(pacer.rate(SCOPE)).toBe(10);
  });
});
