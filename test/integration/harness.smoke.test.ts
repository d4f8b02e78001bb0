import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

describe('private docker daemon harness', () => {
  let daemon: PrivateDaemon;
  beforeAll(async () => {
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
  });
  afterAll(async () => daemon?.stop());

  it('runs a container from the imported busybox image', async () => {
    const id = (await daemon.docker(['run', '-d', '--network', 'none', 'plimsoll/busybox:test'])).trim();
    const state = (await daemon.docker(['inspect', '--format', '{{.State.Running}}', id])).trim();
    expect(state).toBe('true');
  });
});
