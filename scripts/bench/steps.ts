// The steps of `npm run bench` (scripts/bench.ts), one per benchmark run, in the order they run:
// every `bench:*` script of package.json is among them (scripts/bench/steps.test.ts checks it).
export type Step = {
  bench: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** runs only when DATABASE_URL names a PostgreSQL server (on the run's own database there) */
  needsServer?: boolean;
};

export function benchSteps(quick: boolean) {
  const REGISTRY = 'fleet';
  const SEED = quick ? { registries: 2000, tokens: 40_000 } : { registries: 10_000, tokens: 200_000 };

  const steps: Step[] = [
    {
      bench: 'seed',
      script: 'scripts/seed-large.ts',
      args: [REGISTRY, '--registries', String(SEED.registries), '--tokens', String(SEED.tokens)],
      needsServer: true,
    },
    { bench: 'lists', script: 'scripts/bench-lists.ts', args: [REGISTRY, ...(quick ? ['--quick'] : [])], needsServer: true },
    { bench: 'token', script: 'scripts/bench-token.ts', args: quick ? ['--quick'] : [] },
    { bench: 'propagation', script: 'scripts/bench-propagation.ts', args: quick ? ['--quick'] : [] },
    { bench: 'edge', script: 'scripts/bench-edge.ts', env: quick ? { BENCH_REQUESTS: '4000', BENCH_PULL_ROUNDS: '2' } : {} },
    {
      bench: 'propagation',
      script: 'scripts/bench-propagation.ts',
      args: ['--instances', '2', ...(quick ? ['--quick'] : [])],
      needsServer: true,
    },
    // after the servers above: their first start on the fresh database makes the bench admin, which
    // the Hierarchy page's run (it adds an admin of its own) would otherwise prevent
    { bench: 'ui', script: 'scripts/bench-ui.ts', args: [REGISTRY, ...(quick ? ['--quick'] : [])], needsServer: true },
    { bench: 'sync', script: 'scripts/bench-sync.ts', args: quick ? ['--quick'] : [] },
    { bench: 'gateway', script: 'scripts/bench-gateway.ts', args: quick ? ['--quick'] : [] },
    // npm start's memory at rest: on the embedded database, and on PostgreSQL with the fleet seeded
    { bench: 'memory', script: 'scripts/bench-memory.ts', args: ['--db', 'embedded'], env: quick ? { BENCH_REST_SECONDS: '5' } : {} },
    {
      bench: 'memory',
      script: 'scripts/bench-memory.ts',
      // and with config long polls held (2,000; 500 with --quick)
      args: [REGISTRY, '--db', 'postgres', ...(quick ? ['--polls', '500'] : [])],
      env: quick ? { BENCH_REST_SECONDS: '5' } : {},
      needsServer: true,
    },
  ];
  return { REGISTRY, SEED, steps };
}
