/**
 * What a person (or their screen reader) would notice on a portal page, measured in the browser:
 * axe-core's serious and critical violations, a page wider than the window, words broken across
 * lines in tables, labels drawn over a select's value, raw ISO timestamps, focus that scrolls the
 * page sideways, boxes that run into each other. Each returns what it found, so a failing test
 * names the offending element.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations under `include` (the whole page by default). */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: AxeLike }).axe;
    const results = await axe.run(selector ? { include: [[selector]] } : document, {
      resultTypes: ['violations'],
    });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) =>
        v.nodes.map(
          (n) =>
            `${v.impact} ${v.id}: ${n.target.join(' ')} (${(n.any[0]?.message ?? n.failureSummary ?? '').slice(0, 200)})`,
        ),
      );
  }, include);
}

/** The minimum of axe-core's API used here (its own types are global-script typings). */
interface AxeLike {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{
    violations: {
      id: string;
      impact?: string | null;
      nodes: { target: string[]; failureSummary?: string; any: { message: string }[] }[];
    }[];
  }>;
}

/** How much wider than the window the page is (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

/**
 * Every word (whitespace-separated run, hyphenated names included) of a table cell under `scope`
 * that the browser laid out on more than one line, as `Regi|on`: split where the line breaks.
 */
export function brokenWordsInTables(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((scopeSelector) => {
    const broken: string[] = [];
    const cells = document.querySelectorAll(`${scopeSelector} table th, ${scopeSelector} table td`);
    for (const cell of Array.from(cells)) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const m of text.matchAll(/\S+/g)) {
          const lines: { top: number; chars: string }[] = [];
          for (let i = 0; i < m[0].length; i++) {
            const range = document.createRange();
            range.setStart(node, m.index + i);
            range.setEnd(node, m.index + i + 1);
            const rect = range.getBoundingClientRect();
            if (rect.width === 0 && rect.height === 0) continue;
            const last = lines[lines.length - 1];
            if (last && Math.abs(last.top - rect.top) < rect.height / 2) last.chars += m[0][i];
            else lines.push({ top: rect.top, chars: m[0][i]! });
          }
          if (lines.length > 1) broken.push(lines.map((l) => l.chars).join('|'));
        }
      }
    }
    return broken;
  }, scope);
}

/** Header cells under `scope` whose text (not their sort icons) takes more than one line. */
export function wrappedHeaders(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((scopeSelector) => {
    const wrapped: string[] = [];
    const headers = document.querySelectorAll<HTMLElement>(`${scopeSelector} table thead th`);
    for (const th of Array.from(headers)) {
      const lines: number[] = [];
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) {
          const middle = rect.top + rect.height / 2;
          if (rect.width > 0 && !lines.some((m) => Math.abs(m - middle) < rect.height / 2))
            lines.push(middle);
        }
      }
      if (lines.length > 1) wrapped.push(th.textContent ?? '');
    }
    return wrapped;
  }, scope);
}

/** Selects under `scope` whose label overlaps the select's value (its content box). */
export function labelsOverSelectValues(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const overlapping: string[] = [];
    for (const select of Array.from(root.querySelectorAll('select'))) {
      const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
      if (!label) {
        overlapping.push(`#${select.id}: no label`);
        continue;
      }
      const l = label.getBoundingClientRect();
      const s = select.getBoundingClientRect();
      const css = getComputedStyle(select);
      const px = (v: string) => parseFloat(v) || 0;
      const value = {
        top: s.top + px(css.borderTopWidth) + px(css.paddingTop),
        bottom: s.bottom - px(css.borderBottomWidth) - px(css.paddingBottom),
        left: s.left + px(css.borderLeftWidth) + px(css.paddingLeft),
        right: s.right - px(css.borderRightWidth) - px(css.paddingRight),
      };
      if (
        l.left < value.right &&
        l.right > value.left &&
        l.top < value.bottom &&
        l.bottom > value.top
      )
        overlapping.push(
          `#${select.id}: "${label.textContent}" over "${select.selectedOptions[0]?.text}"`,
        );
    }
    return overlapping;
  });
}

/** Text (not attributes) under `scope` that is a raw ISO 8601 timestamp. */
export function isoTimestampsShown(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((scopeSelector) => {
    const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
    const found: string[] = [];
    for (const root of Array.from(document.querySelectorAll(scopeSelector))) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (iso.test(node.textContent ?? '')) found.push(node.textContent!.trim());
      }
      for (const time of Array.from(root.querySelectorAll('time[title]'))) {
        if (iso.test(time.getAttribute('title')!))
          found.push(`title ${time.getAttribute('title')}`);
      }
    }
    return found;
  }, scope);
}

/**
 * Tabs through the page from its start `presses` times; after each press, anything scrolled
 * sideways (the page or a container other than a table's own scroll container) or the focused
 * element hidden under the fixed sidebar.
 */
export async function sidewaysFocus(page: Page, presses: number): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const problems: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const out: string[] = [];
      const active = document.activeElement as HTMLElement | null;
      const name = active
        ? `${active.tagName.toLowerCase()} "${(active.getAttribute('aria-label') ?? active.textContent ?? '').trim().slice(0, 40)}"`
        : 'nothing';
      for (const el of [
        document.scrollingElement!,
        ...Array.from(document.querySelectorAll('body *')),
      ]) {
        // A table's own scroll container may scroll (Material's dev class names have suffixes).
        const tableScroller =
          el.matches('[class*="MuiTableContainer-root"]') || el.querySelector(':scope > table');
        if (el.scrollLeft > 0 && !tableScroller)
          out.push(
            `focus on ${name} scrolled ${el.tagName.toLowerCase()}.${el.className} by ${el.scrollLeft}px`,
          );
      }
      // Hidden under the fixed sidebar: what is drawn at the focused element's centre is the
      // sidebar's.
      const nav = document.querySelector('nav[aria-label="sidebar nav"]');
      if (active && nav && !nav.contains(active)) {
        const box = active.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (box.width > 0 && top && nav.contains(top))
          out.push(`focus on ${name} at x=${Math.round(box.left)} is under the sidebar`);
      }
      return out;
    });
    problems.push(...found);
  }
  return problems;
}

/**
 * The contrast of each tab's label (`role="tab"`) against what is behind it, with the opacity of
 * the tab and its ancestors applied: axe-core leaves Backstage's header tabs "incomplete" (it
 * cannot tell what lies under them), so they are measured here.
 */
export function tabLabelContrasts(page: Page): Promise<{ tab: string; ratio: number }[]> {
  return page.evaluate(() => {
    const rgba = (css: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return { rgb: [r, g, b], a };
    };
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return Array.from(document.querySelectorAll('[role="tab"]')).map((tab) => {
      const fg = rgba(getComputedStyle(tab).color);
      let alpha = fg.a;
      let bg = [255, 255, 255];
      let bgFound = false;
      for (let el: Element | null = tab; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        alpha *= Number(style.opacity);
        const back = rgba(style.backgroundColor);
        if (!bgFound && back.a > 0) {
          bg = back.rgb;
          bgFound = true;
        }
      }
      const seen = fg.rgb.map((v, i) => v * alpha + bg[i]! * (1 - alpha));
      const [light, dark] = [luminance(seen), luminance(bg)].sort((x, y) => y - x) as [
        number,
        number,
      ];
      return {
        tab: (tab.textContent ?? '').trim(),
        ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
      };
    });
  });
}

/** Pairs of elements (by description) whose boxes intersect. */
export async function overlappingBoxes(
  boxes: { name: string; locator: Locator }[],
): Promise<string[]> {
  const rects = await Promise.all(
    boxes.map(async (b) => ({ name: b.name, rect: await b.locator.boundingBox() })),
  );
  const overlaps: string[] = [];
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i]!.rect;
      const b = rects[j]!.rect;
      if (!a || !b) continue;
      if (
        a.x < b.x + b.width &&
        b.x < a.x + a.width &&
        a.y < b.y + b.height &&
        b.y < a.y + a.height
      )
        overlaps.push(`${rects[i]!.name} overlaps ${rects[j]!.name}`);
    }
  }
  return overlaps;
}

/**
 * A screenshot of the whole page. Backstage pages scroll inside a full-height container, so a
 * full-page capture would show one window's worth: the window is made as tall as that content.
 */
export async function screenshotWhole(page: Page, path: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() =>
    Math.max(
      window.innerHeight,
      ...Array.from(document.querySelectorAll('body *'))
        .filter((el) => /(auto|scroll)/.test(getComputedStyle(el).overflowY))
        .map((el) => el.scrollHeight + el.getBoundingClientRect().top),
    ),
  );
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.ceil(height), 8000) });
  try {
    await page.screenshot({ path, fullPage: true });
  } finally {
    await page.setViewportSize(viewport);
  }
}
