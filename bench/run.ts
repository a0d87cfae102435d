/**
 * `npm run bench`: runs the four parts, prints a Markdown table per part and the targets, and writes
 * every measurement with the machine to `bench/results.json`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { againstNxTable, measureAgainstNx } from './against-nx';
import { describeMachine } from './machine';
import { measureOverhead, overheadTable } from './overhead';
import { measureScale, scaleTable } from './scale';
import { measureScheduleQuality, scheduleQualityTable } from './schedule-quality';
import { renderTable, type Table } from './table';
import { checkTargets, targetsTable } from './targets';

const RESULTS = path.join(__dirname, 'results.json');

function print(table: Table): void {
  process.stdout.write(`${renderTable(table)}\n`);
}

function step(name: string): void {
  process.stderr.write(`[bench] ${name}...\n`);
}

async function main(): Promise<void> {
  const machine = describeMachine();
  process.stdout.write(
    `Machine: ${machine.cpuModel} x ${machine.cpus}, ${machine.memoryGb} GB, ${machine.platform}, node ${machine.node}, nx ${machine.nx}, load average ${machine.loadAverage.join(' ')}\n\n`,
  );
  step('scale');
  const scale = measureScale();
  print(scaleTable(scale));
  step('schedule quality');
  const scheduleQuality = await measureScheduleQuality();
  print(scheduleQualityTable(scheduleQuality));
  step('overhead');
  const overhead = await measureOverhead();
  print(overheadTable(overhead));
  step('against Nx (packs the plugin and installs a sandbox the first time)');
  const againstNx = await measureAgainstNx();
  print(againstNxTable(againstNx));
  const targets = checkTargets({ againstNx, scheduleQuality, overhead, scale });
  print(targetsTable(targets));
  const results = { machine, targets, againstNx, scheduleQuality, overhead, scale };
  // Formatted as the repository's formatter would, so the committed file passes its check.
  const options = { ...(await resolveConfig(RESULTS)), parser: 'json' };
  fs.writeFileSync(RESULTS, await format(JSON.stringify(results), options));
  process.stdout.write(`Wrote ${path.relative(process.cwd(), RESULTS)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
