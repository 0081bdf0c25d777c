/** Runs a benchmark's `main` and exits 0, also when it throws: a benchmark never fails the build. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`benchmark error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(0);
    },
  );
}
