/** Writes schemas/schema.graphql (`npm run schema:emit`); a test keeps the committed file in step. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { buildPlimsollSchema } from './schema.js';

/** The schema as SDL, as committed in schemas/schema.graphql. */
export async function printPlimsollSchema(): Promise<string> {
  return `${printSchema(await buildPlimsollSchema())}\n`;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const out = path.join(dir, 'schemas', 'schema.graphql');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, await printPlimsollSchema());
  process.stdout.write(`wrote ${out}\n`);
}
