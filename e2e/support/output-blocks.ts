/**
 * Reading grouped output: the block of a task is its `> nx run <id>` header (marked `[failed]` when
 * it failed) and the lines up to the next header, task status line, notice (`[nx-parallel] ...`,
 * printed between blocks; nx-parallel's own lines within a task's output, such as a retry, end it
 * too) or the summary.
 */
import { outputLines } from './records';

const BLOCK_END = /^(> nx run |nx-parallel ran | NX |\[\d+\/\d+\] |\[nx-parallel\] )/;

export interface Block {
  /** Whether the header marks the task as failed. */
  failed: boolean;
  /** Index of the header line in the output's lines. */
  start: number;
  lines: string[];
}

export function findBlocks(output: string, taskId: string): Block[] {
  const lines = outputLines(output);
  const blocks: Block[] = [];
  lines.forEach((line, index) => {
    const header = line.trimEnd();
    if (header !== `> nx run ${taskId}` && header !== `> nx run ${taskId}  [failed]`) return;
    let end = index + 1;
    while (end < lines.length && !BLOCK_END.test(lines[end] ?? '')) end++;
    blocks.push({ start: index, failed: header.endsWith('[failed]'), lines: lines.slice(index + 1, end) });
  });
  return blocks;
}

/** The only block of a task; fails when there is none or more than one. */
export function blockOf(output: string, taskId: string): Block {
  const blocks = findBlocks(output, taskId);
  if (blocks.length !== 1) throw new Error(`expected one block for ${taskId}, found ${blocks.length} in:\n${output}`);
  return blocks[0] as Block;
}
