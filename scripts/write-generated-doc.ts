import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes a generated doc, or with `--check` on the command line fails (exit 1) when the file
 * on disk differs, naming the npm script that regenerates it.
 */
export function writeGeneratedDoc(path: string, text: string, script: string): void {
  if (!process.argv.includes('--check')) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${path} is stale: run \`npm run ${script}\` and commit the result.`);
    process.exit(1);
  }
}
