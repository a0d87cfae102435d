/** Reading grouped output: the block of a task is its `> nx run <id>` header and the lines up to the next header or the summary. */
import { outputLines } from './records';

const BLOCK_END = /^(> nx run |nx-parallel ran | NX )/;

export interface Block {
  /** Index of the header line in the output's lines. */
  start: number;
  lines: string[];
}

export function findBlocks(output: string, taskId: string): Block[] {
  const lines = outputLines(output);
  const blocks: Block[] = [];
  lines.forEach((line, index) => {
    if (line.trimEnd() !== `> nx run ${taskId}`) return;
    let end = index + 1;
    while (end < lines.length && !BLOCK_END.test(lines[end] ?? '')) end++;
    blocks.push({ start: index, lines: lines.slice(index + 1, end) });
  });
  return blocks;
}

/** The only block of a task; fails when there is none or more than one. */
export function blockOf(output: string, taskId: string): Block {
  const blocks = findBlocks(output, taskId);
  if (blocks.length !== 1) throw new Error(`expected one block for ${taskId}, found ${blocks.length} in:\n${output}`);
  return blocks[0] as Block;
}
