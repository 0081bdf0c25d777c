/**
 * Where a thread's CPU time goes during a benchmark phase: a V8 CPU profile of the calling thread
 * (node:inspector), its self time grouped by the package of the sampled function and the nearest
 * caller in another package ("zod via @backstage/plugin-permission-backend": validation the
 * permission backend runs), so a figure can be split into its causes.
 */
import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';

export interface ProfileShare {
  what: string;
  /** Share of the profiled time, 0..1. */
  share: number;
}

/** The package a frame's script belongs to (node internals and V8's own frames by kind). */
function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)')
    return functionName;
  if (url === '') return 'native';
  if (url.startsWith('node:')) return 'node';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const m = /\/(plugins|packages|bench)\/([^/]+)\//.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

const SHARED = new Set(['native', 'node']);
const PROFILER = '(profiler)';

/** Self time by `package [via caller package]`, largest first. */
export function sharesOf(profile: Profiler.Profile): ProfileShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (deltas[i] ?? 0)));
  const labelOf = new Map<number, string>();
  const label = (id: number): string => {
    let l = labelOf.get(id);
    if (l !== undefined) return l;
    const frame = byId.get(id)!.callFrame;
    const leaf = packageOf(frame.url, frame.functionName);
    l = leaf;
    // Attribute shared code (node internals, natives, libraries) to the first caller elsewhere.
    let caller: string | undefined;
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const f = byId.get(p)!.callFrame;
      // The profiler's own work (serialising the profile when it stops) is not the phase's.
      if (f.url === 'node:inspector') {
        caller = PROFILER;
        break;
      }
      const pkg = packageOf(f.url, f.functionName);
      if (pkg !== leaf && !SHARED.has(pkg) && pkg !== '(root)') caller ??= pkg;
    }
    if (caller === PROFILER) l = PROFILER;
    else if (caller !== undefined) l = `${leaf} via ${caller}`;
    labelOf.set(id, l);
    return l;
  };
  const totals = new Map<string, number>();
  let all = 0;
  for (const [id, t] of time) {
    const l = label(id);
    if (l === '(idle)' || l === PROFILER) continue;
    totals.set(l, (totals.get(l) ?? 0) + t);
    all += t;
  }
  return [...totals]
    .map(([what, t]) => ({ what, share: all > 0 ? t / all : 0 }))
    .sort((a, b) => b.share - a.share);
}

/** Runs `fn` under the profiler; the profile is also written to `file` when given. */
export async function profiled<T>(
  fn: () => Promise<T>,
  file?: string,
): Promise<{ value: T; shares: ProfileShare[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const value = await fn();
    const { profile } = await session.post('Profiler.stop');
    if (file) writeFileSync(file, JSON.stringify(profile));
    return { value, shares: sharesOf(profile) };
  } finally {
    session.disconnect();
  }
}
