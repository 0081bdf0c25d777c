import { HEALTH_LADDER } from '@hyperpod/core';
import { contrastRatio, relativeLuminance } from './contrastRatio';
import { DRIFT_COLOURS, HEALTH_COLOURS } from './statusColours';

describe('contrastRatio', () => {
  it('is the WCAG ratio of two colours, either order', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
    // The ratio axe-core reported (3.78, cut) for the old "behind default" chip.
    expect(contrastRatio('#ffffff', '#e65100')).toBeCloseTo(3.79, 2);
    expect(contrastRatio('#e65100', '#ffffff')).toBeCloseTo(3.79, 2);
    expect(relativeLuminance('#808080')).toBeCloseTo(0.2159, 3);
  });

  it('refuses what is not a hex colour', () => {
    expect(() => relativeLuminance('rgb(0,0,0)')).toThrow('not a #rgb or #rrggbb colour');
  });
});

describe('status colours', () => {
  it.each(HEALTH_LADDER.map((h) => [h, HEALTH_COLOURS[h]] as const))(
    'the %s chip reads at WCAG AA (4.5:1), and its colour outlines a chip on white at 3:1',
    (_h, { background, color }) => {
      expect(contrastRatio(color, background)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(background, '#ffffff')).toBeGreaterThanOrEqual(3);
    },
  );

  it.each(Object.entries(DRIFT_COLOURS))(
    'the %s drift chip reads at WCAG AA (4.5:1)',
    (_d, colours) => {
      expect(contrastRatio(colours!.color, colours!.background)).toBeGreaterThanOrEqual(4.5);
    },
  );
});
