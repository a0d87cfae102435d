/** Small folder trees for tests: write one from a table, and read one back as a table to compare. */
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** `{ 'a/b.txt': 'content', 'a/empty/': '' }`: a path ending in `/` is a folder. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) await mkdir(join(root, path), { recursive: true });
    else {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }
}

/** Every entry below `root`: folders as `'dir'` (path ending in `/`), links as `'-> target'`, files by content. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  const visit = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) tree[`${prefix}${name}`] = `-> ${await readlink(path)}`;
      else if (stats.isDirectory()) {
        tree[`${prefix}${name}/`] = 'dir';
        await visit(path, `${prefix}${name}/`);
      } else tree[`${prefix}${name}`] = await readFile(path, 'utf8');
    }
  };
  await visit(root, '');
  return tree;
}
