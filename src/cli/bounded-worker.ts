/**
 * `plimsoll assess` runs in a worker thread whose V8 heap Plimsoll sizes itself (PLIMSOLL_ASSESS_HEAP_MB).
 *
 * Why: Node sizes the main thread's heap from the machine's memory (4 GB on a 24 GB machine), and V8 sizes its
 * collections from that limit: with a large one it lets the old generation grow to about four times what the
 * last full collection left alive before it collects again, and grows young-generation semi-spaces to 16 MB. A
 * 1,000-container assessment holds some 40–55 MB of live data but allocates about a gigabyte on the way, so its
 * process peaked at 230–250 MB, mostly garbage no collection had yet been asked to find. A worker's
 * `resourceLimits` set both sizes: with a 512 MB old generation V8 grows it by about 1.4 times the live data,
 * and an 8 MB young generation (2.7 MB semi-spaces) is collected more often. The same run then peaks under
 * 200 MB, at the price of a worker's start (some 20 ms) and more, smaller collections. 512 MB of live data is
 * far more than a run holds (a 1,000-container node: some 55 MB at its peak).
 *
 * The worker runs the same CLI with the same arguments, environment, standard streams and exit code. Only the
 * memory limit differs: a run that needs more than it allows stops with an error naming the setting (its stored
 * assessment is then marked interrupted when the server next starts, as any run whose process died).
 */
import { isMainThread, Worker } from 'node:worker_threads';
import { loadAssessHeapMb } from '../config/config.js';
import { ErrorCode } from '../domain/errors.js';
import { describeError, EXIT } from './format.js';
import type { CliIo } from './runtime.js';

/** The young generation of the worker, in MB: V8's semi-spaces are a third of it. */
export const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Runs a bounded command: in a worker with the heap limit of PLIMSOLL_ASSESS_HEAP_MB, or `inProcess` when this
 * already is that worker, when the setting is 0, or when it is invalid (the command's own start then reports it,
 * as it reports every invalid setting).
 */
export async function runBounded(entry: URL, args: readonly string[], io: CliIo, inProcess: () => Promise<number>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!isMainThread) return inProcess();
  let heapMb: number;
  try {
    heapMb = loadAssessHeapMb(env);
  } catch {
    return inProcess();
  }
  return heapMb === 0 ? inProcess() : runInBoundedWorker(entry, args, heapMb, io);
}

/**
 * Runs the CLI module `entry` in a worker with `args` and the heap limits; resolves with its exit code. The
 * worker writes to this process's stdout and stderr; an error that ends it (out of memory above all) is printed
 * here.
 */
export function runInBoundedWorker(entry: URL, args: readonly string[], heapMb: number, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    let failed: number | undefined;
    const worker = new Worker(entry, {
      argv: [...args],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    worker.on('error', (e: unknown) => {
      failed = EXIT.failure;
      io.err(workerErrorLines(e, heapMb).join('\n'));
    });
    worker.on('exit', (code) => resolve(failed ?? code));
  });
}

/** What a worker's fatal error prints: out of memory names the limit and the setting; anything else its stack. */
export function workerErrorLines(e: unknown, heapMb: number): string[] {
  if ((e as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return [
      `error[${ErrorCode.INTERNAL}]: the command ran out of memory: its JavaScript heap is limited to ${heapMb} MB (PLIMSOLL_ASSESS_HEAP_MB); raise the limit, or assess fewer nodes at once`,
    ];
  }
  return describeError(e).lines;
}
