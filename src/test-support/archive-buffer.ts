/** Archives as Buffers, for tests that look at their bytes: packing into one, and reading a stream whole. */
import type { Readable } from 'node:stream';
import { packOutputs, type PackedOutputs } from '../distributed/artifacts/artifact-archive';

export async function readAll(stream: Readable): Promise<Buffer> {
  return Buffer.concat((await stream.toArray()) as Buffer[]);
}

export async function packToBuffer(
  root: string,
  outputs: readonly string[],
): Promise<PackedOutputs & { data: Buffer }> {
  let data: Buffer = Buffer.alloc(0);
  const packed = await packOutputs(root, outputs, async (archive) => {
    data = await readAll(archive);
  });
  return { ...packed, data };
}
