/**
 * The typed GraphQL client of test/client, generated with GraphQL Code Generator's programmatic API
 * (@graphql-codegen/core) from the local files codegen.yml names: the committed schema and the operations.
 *
 * Why not the `graphql-codegen` CLI: it depends on schema loaders for URLs, GitHub and Apollo's registry (and
 * their fetch stack, `listr2`, `sync-fetch`) that ask for Node 22.12+, so a development `npm ci` on Node 20
 * printed EBADENGINE warnings for code this project never runs. codegen.yml keeps the CLI's format, so the
 * CLI can still read it; this script accepts the subset Plimsoll uses (one local schema file, one documents
 * file, plugins with options) and rejects anything else by name rather than ignoring it.
 *
 * `npm run client:generate` (also run by test/integration/graphql-clients.test.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { codegen } from '@graphql-codegen/core';
import YAML from 'yaml';
import { isMainModule, repoRootOf } from './generated-files.js';

// Parsed with the graphql instance the (CommonJS) plugins load, so no AST crosses graphql's ESM/CJS builds.
const require = createRequire(import.meta.url);
const { buildSchema, lexicographicSortSchema, parse, printSchema } = require('graphql') as typeof import('graphql');

type GenerateOptions = Parameters<typeof codegen>[0];
type CodegenPlugin = GenerateOptions['pluginMap'][string];

/** The plugins this script can run, by the name codegen.yml gives them. */
const PLUGINS: Record<string, () => Promise<CodegenPlugin>> = {
  'typescript-operations': () => import('@graphql-codegen/typescript-operations'),
  'typescript-graphql-request': () => import('@graphql-codegen/typescript-graphql-request'),
};

interface OutputConfig {
  plugins: (string | Record<string, Record<string, unknown>>)[];
  config?: Record<string, unknown>;
}

/** A local file codegen.yml names, relative to the repository; URLs, globs and loaders are refused. */
function localFile(root: string, configFile: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || /^[a-z]+:\/\//i.test(value) || /[*?{}[\]]/.test(value)) {
    throw new Error(`${configFile}: ${key} must be one local file path (got ${JSON.stringify(value)})`);
  }
  return path.resolve(root, value);
}

/**
 * Generates every output codegen.yml (at `root`) declares and returns them (absolute path → code); throws an
 * error naming the file and key for anything outside the supported subset.
 */
export async function generateClient(root: string, configName = 'codegen.yml'): Promise<Map<string, string>> {
  const configFile = path.join(root, configName);
  const config = YAML.parse(fs.readFileSync(configFile, 'utf8')) as { schema?: unknown; documents?: unknown; generates?: Record<string, OutputConfig> };
  const schemaFile = localFile(root, configName, 'schema', config.schema);
  const documentsFile = localFile(root, configName, 'documents', config.documents);
  // Sorted by name as the CLI does by default, so the output matches what `graphql-codegen` writes.
  const schemaAst = lexicographicSortSchema(buildSchema(fs.readFileSync(schemaFile, 'utf8')));
  const schema = parse(printSchema(schemaAst));
  const documents = [{ location: documentsFile, document: parse(fs.readFileSync(documentsFile, 'utf8')) }];
  const outputs = new Map<string, string>();
  for (const [output, spec] of Object.entries(config.generates ?? {})) {
    const plugins: GenerateOptions['plugins'] = spec.plugins.map((p) => (typeof p === 'string' ? { [p]: {} } : p));
    const pluginMap: GenerateOptions['pluginMap'] = {};
    for (const name of plugins.flatMap((p) => Object.keys(p))) {
      const load = PLUGINS[name];
      if (!load) throw new Error(`${configName}: generates.${output}.plugins: unsupported plugin ${JSON.stringify(name)} (supported: ${Object.keys(PLUGINS).join(', ')})`);
      pluginMap[name] = await load();
    }
    const filename = path.resolve(root, output);
    outputs.set(filename, await codegen({ filename, schema, schemaAst, documents, plugins, pluginMap, config: spec.config ?? {} }));
  }
  if (outputs.size === 0) throw new Error(`${configName}: generates names no output`);
  return outputs;
}

if (isMainModule(import.meta.url)) {
  const root = repoRootOf(import.meta.url);
  for (const [file, code] of await generateClient(root)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, code);
    console.log(`wrote ${path.relative(root, file)}`);
  }
}
