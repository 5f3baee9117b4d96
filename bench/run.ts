/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the
 * command line), prints one JSON line per figure for machines
 * ({"bench", "value", "unit", "baseline", "ratio", "goal", "met"}) and a
 * summary table for people: every figure with its goal and whether this run
 * met it, a row for a bench that failed, and how many goals were met.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, Figure } from './figure.js';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort((a, b) =>
    a.startsWith('cold-start') ? -1 : b.startsWith('cold-start') ? 1 : a.localeCompare(b),
  );

if (files.length === 0) {
  console.error(`No bench/*.bench.ts starts with ${only.join(' or ')}.`);
  process.exit(2);
}

const figures: Figure[] = [];
const failed: string[] = [];
for (const file of files) {
  try {
    const mod = (await import(join(dir, file))) as { run: Bench };
    const got = await mod.run();
    figures.push(...got);
    for (const f of got) {
      const { bench, value, unit, baseline, ratio, goal, met } = f;
      console.log(
        JSON.stringify({
          bench,
          value: round(value),
          unit,
          baseline: round(baseline),
          ratio: round(ratio),
          goal,
          met,
        }),
      );
    }
  } catch (err) {
    console.error(`bench ${file} failed: ${(err as Error).message}`);
    failed.push(file.replace(/\.bench\.ts$/, ''));
    process.exitCode = 1;
  }
}

console.log('\n' + table(figures, failed));
const met = figures.filter((f) => f.met).length;
console.log(
  `\n${met} of ${figures.length} goals met` +
    (failed.length > 0 ? `; ${failed.length} bench(es) failed: ${failed.join(', ')}` : '') +
    '.',
);

function round(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(4)) : n;
}

function table(rows: readonly Figure[], failedBenches: readonly string[]): string {
  const head = ['figure', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met'];
  const body = rows.map((f) => [
    f.bench,
    String(round(f.value)),
    f.unit,
    String(round(f.baseline)),
    String(round(f.ratio)),
    f.goal === '' ? '(no goal)' : f.goal,
    f.met ? 'yes' : 'NO',
  ]);
  for (const bench of failedBenches) body.push([bench, '-', '-', '-', '-', '(bench failed)', 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
