/**
 * Colour only where a person reads it: a TTY, and never when NO_COLOR is set (no-color.org: any
 * non-empty value). Plain ANSI codes, so formatters stay dependency-free and testable.
 */
import type { HealthState } from '@hyperpod/core';

export function colourEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, dim: 2 } as const;
export type Colour = keyof typeof CODES;

export function paint(colour: Colour, text: string): string {
  return `\u001b[${CODES[colour]}m${text}\u001b[0m`;
}

const HEALTH_COLOUR: Record<HealthState, Colour> = {
  Healthy: 'green',
  Progressing: 'yellow',
  Degraded: 'red',
  Missing: 'red',
  Unknown: 'magenta',
};

export function paintHealth(text: string): string {
  const c = HEALTH_COLOUR[text as HealthState];
  return c ? paint(c, text) : text;
}
