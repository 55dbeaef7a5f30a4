// How benchmarks hand their figures to `npm run bench`: each figure is one JSON line appended to
// the file named by BENCH_RESULTS_FILE (set by scripts/bench.ts); run alone, a benchmark only
// prints. A figure says what was measured against which target; nothing here asserts anything.
import { appendFileSync } from 'node:fs';

export type Figure = {
  bench: string;
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
};

export function recordFigure(figure: Figure): void {
  const file = process.env.BENCH_RESULTS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}
