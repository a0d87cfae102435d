/**
 * The README's options table, generated from `schema.json`: `npm run docs` writes it between the
 * `options` markers of README.md; a test fails when the README is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

const repoRoot = join(__dirname, '..');
export const readmePath = join(repoRoot, 'README.md');
const BEGIN = '<!-- options:begin (generated from schema.json by `npm run docs`) -->';
const END = '<!-- options:end -->';

interface OptionSchema {
  description?: string;
  default?: unknown;
  aliases?: string[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderOptionsTable(schema: { properties: Record<string, OptionSchema> }): string {
  const rows = Object.entries(schema.properties).map(([name, option]) => {
    const aliases = (option.aliases ?? []).map((alias) => ` (\`-${alias}\`)`).join('');
    const fallback = option.default === undefined ? '' : `\`${JSON.stringify(option.default)}\``;
    return `| \`${name}\`${aliases} | ${cell(fallback)} | ${cell(option.description ?? '')} |`;
  });
  return ['| option | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README with its options table replaced by the one `schema.json` gives, formatted as prettier would. */
export async function renderReadme(): Promise<string> {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schema.json'), 'utf8')) as {
    properties: Record<string, OptionSchema>;
  };
  const readme = readFileSync(readmePath, 'utf8');
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the markers ${BEGIN} ... ${END}`);
  const updated = `${readme.slice(0, begin + BEGIN.length)}\n\n${renderOptionsTable(schema)}\n\n${readme.slice(end)}`;
  const config = (await resolveConfig(readmePath)) ?? {};
  return format(updated, { ...config, filepath: readmePath });
}

if (require.main === module) {
  void renderReadme().then((text) => writeFileSync(readmePath, text));
}
