/** The benchmarks' servers: the Vite dev server for the pages under bench/, and the built app (the soak). */
export const BENCH_PORT = Number(process.env.BENCH_PORT ?? 4174);
export const APP_PORT = BENCH_PORT + 2;
