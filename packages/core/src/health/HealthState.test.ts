import { worstHealth } from './HealthState';

describe('health ladder', () => {
  it('lets the worst state win, Unknown being worst', () => {
    expect(worstHealth([])).toBe('Healthy');
    expect(worstHealth(['Healthy', 'Progressing'])).toBe('Progressing');
    expect(worstHealth(['Progressing', 'Degraded', 'Healthy'])).toBe('Degraded');
    expect(worstHealth(['Degraded', 'Missing'])).toBe('Missing');
    expect(worstHealth(['Missing', 'Unknown', 'Healthy'])).toBe('Unknown');
  });
});
