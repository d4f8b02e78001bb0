/**
 * When the program reads from the arguments no command, or another one than commander runs, commander reaches a
 * stub: the stub's module is loaded and the arguments parsed again, so the command still runs as it would have.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

vi.mock('../../../src/cli/commands/index.js', async (original) => ({ ...(await original<object>()), commandNamed: () => undefined }));

describe('a stub commander reaches', () => {
  it('loads its module and runs the command', async () => {
    const runtime = new MemoryRuntime();
    const io = new MemoryIo();
    expect(await runCli(['user', 'whoami'], runtime, io)).toBe(0);
    expect(runtime.opened).toHaveLength(1);
    expect(io.outText).not.toBe('');
  });

  it('passes on its options: the command prints its own help and usage errors', async () => {
    const io = new MemoryIo();
    expect(await runCli(['assess', '--help'], new MemoryRuntime(), io)).toBe(0);
    expect(io.outText).toContain('--benchmark <ref>');
    expect(await runCli(['node', 'add'], new MemoryRuntime(), io)).toBe(2);
    expect(io.errText).toContain("missing required argument 'name'");
  });
});
