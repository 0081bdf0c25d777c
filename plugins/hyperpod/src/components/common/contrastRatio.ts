/**
 * WCAG 2 contrast between two opaque sRGB colours (`#rgb` or `#rrggbb`): 1 to 21. Text needs
 * 4.5 (AA), large text and a component's boundary or icon 3.
 */

function channel(hex: string): number {
  const c = parseInt(hex, 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rgb` / `#rrggbb`. */
export function relativeLuminance(colour: string): number {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour);
  if (!m) throw new Error(`not a #rgb or #rrggbb colour: ${colour}`);
  const hex = m[1]!.length === 3 ? [...m[1]!].map((d) => d + d).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => channel(hex.slice(i, i + 2))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}
