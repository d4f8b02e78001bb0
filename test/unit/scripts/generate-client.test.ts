/**
 * scripts/generate-client.ts: GraphQL Code Generator's programmatic API over codegen.yml, in place of the CLI
 * (whose remote schema loaders ask for Node 22). It runs the repository's config, and refuses by name what it
 * does not support rather than ignoring it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateClient } from '../../../scripts/generate-client.js';
import { repoRoot, tempDir } from '../../harness/content.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A directory holding a one-type schema, one operation and the given codegen.yml. */
function project(config: string): string {
  const dir = tempDir('plimsoll-codegen-');
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'schema.graphql'), 'type Query { "A greeting." hello: String! }\n');
  fs.writeFileSync(path.join(dir, 'ops.graphql'), 'query Hello { hello }\n');
  fs.writeFileSync(path.join(dir, 'codegen.yml'), config);
  return dir;
}

describe('generateClient', () => {
  it("generates the repository's typed graphql-request client from its codegen.yml", async () => {
    const outputs = await generateClient(repoRoot);
    const sdk = outputs.get(path.join(repoRoot, 'test/client/generated/sdk.ts'));
    expect(sdk).toContain('export function getSdk(');
    expect(sdk).toContain('export type ViewerQuery =');
  });

  it('generates from a local schema and documents with the listed plugins', async () => {
    const dir = project('schema: schema.graphql\ndocuments: ops.graphql\ngenerates:\n  out.ts:\n    plugins: [typescript-operations]\n');
    const code = [...(await generateClient(dir)).values()][0]!;
    expect(code).toContain('export type HelloQuery = { hello: string };');
  });

  it('refuses a remote schema, naming the file and key', async () => {
    const dir = project('schema: https://example.org/graphql\ndocuments: ops.graphql\ngenerates:\n  out.ts:\n    plugins: [typescript-operations]\n');
    await expect(generateClient(dir)).rejects.toThrow('codegen.yml: schema must be one local file path (got "https://example.org/graphql")');
  });

  it('refuses a plugin it cannot run', async () => {
    const dir = project('schema: schema.graphql\ndocuments: ops.graphql\ngenerates:\n  out.ts:\n    plugins: [typescript-urql]\n');
    await expect(generateClient(dir)).rejects.toThrow('codegen.yml: generates.out.ts.plugins: unsupported plugin "typescript-urql"');
  });

  it('refuses an operation the schema does not have', async () => {
    const dir = project('schema: schema.graphql\ndocuments: ops.graphql\ngenerates:\n  out.ts:\n    plugins: [typescript-operations]\n');
    fs.writeFileSync(path.join(dir, 'ops.graphql'), 'query Hello { goodbye }\n');
    await expect(generateClient(dir)).rejects.toThrow(/goodbye/);
  });
});
