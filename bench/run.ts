/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the
 * command line), prints a table for people and one JSON line per figure for
 * machines: {"bench", "value", "unit", "baseline", "ratio"}.
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

const figures: Figure[] = [];
for (const file of files) {
  const mod = (await import(join(dir, file))) as { run: Bench };
  try {
    const got = await mod.run();
    figures.push(...got);
    for (const f of got) {
      const { bench, value, unit, baseline, ratio } = f;
      console.log(
        JSON.stringify({
          bench,
          value: round(value),
          unit,
          baseline: round(baseline),
          ratio: round(ratio),
        }),
      );
    }
  } catch (err) {
    console.error(`bench ${file} failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

console.log('\n' + table(figures));

function round(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(4)) : n;
}

function table(rows: readonly Figure[]): string {
  const head = ['figure', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met'];
  const body = rows.map((f) => [
    f.bench,
    String(round(f.value)),
    f.unit,
    String(round(f.baseline)),
    String(round(f.ratio)),
    f.goal,
    f.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
