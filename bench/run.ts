/**
 * `npm run bench`: runs the six parts, prints a Markdown table per part and the targets, and writes
 * every measurement with the machine to `bench/results.json`. `npm run bench -- distributed` (or
 * any list of part names) runs only those parts and merges their measurements into the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { againstNxTable, measureAgainstNx, type AgainstNxResult } from './against-nx';
import { distributedChainTable, distributedThroughputTable, measureDistributed } from './distributed';
import { distributedScaleTable, measureDistributedScale } from './distributed-scale';
import { describeMachine } from './machine';
import { measureReal, realTable } from './real';
import { measureOverhead, overheadTable, type OverheadMeasurement } from './overhead';
import { measureScale, scaleTable, type ScaleMeasurement } from './scale';
import { measureScheduleQuality, scheduleQualityTable, type ScheduleQualityResult } from './schedule-quality';
import { renderTable, type Table } from './table';
import { checkTargets, targetsTable } from './targets';

const RESULTS = path.join(__dirname, 'results.json');

interface Part {
  /** Its key in results.json. */
  key: string;
  /** What it says while it runs. */
  step: string;
  run: () => Promise<{ result: unknown; tables: Table[] }>;
}

function part<T>(key: string, step: string, measure: () => T | Promise<T>, tables: (result: T) => Table[]): Part {
  return {
    key,
    step,
    run: async () => {
      const result = await measure();
      return { result, tables: tables(result) };
    },
  };
}

const PARTS: Record<string, Part> = {
  scale: part('scale', 'scale', measureScale, (r) => [scaleTable(r)]),
  schedule: part('scheduleQuality', 'schedule quality', measureScheduleQuality, (r) => [scheduleQualityTable(r)]),
  overhead: part('overhead', 'overhead', measureOverhead, (r) => [overheadTable(r)]),
  'against-nx': part(
    'againstNx',
    'against Nx (packs the plugin and installs a sandbox the first time)',
    measureAgainstNx,
    (r) => [againstNxTable(r)],
  ),
  real: part(
    'real',
    'real work (installs the e2e/real workspace for the newest Nx the first time)',
    measureReal,
    (r) => [realTable(r)],
  ),
  distributed: part(
    'distributed',
    'distributed (a redis-server and nx-parallel workers on this machine)',
    async () => ({ ...(await measureDistributed()), scaling: await measureDistributedScale() }),
    (r) => [distributedChainTable(r), distributedThroughputTable(r), distributedScaleTable(r.scaling)],
  ),
};

function print(table: Table): void {
  process.stdout.write(`${renderTable(table)}\n`);
}

function selectedParts(args: readonly string[]): string[] {
  const names = Object.keys(PARTS);
  const unknown = args.filter((arg) => !names.includes(arg));
  if (unknown.length) throw new Error(`No bench part ${unknown.join(', ')}; the parts are ${names.join(', ')}.`);
  return args.length ? names.filter((name) => args.includes(name)) : names;
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  const machine = describeMachine();
  process.stdout.write(
    `Machine: ${machine.cpuModel} x ${machine.cpus}, ${machine.memoryGb} GB, ${machine.platform}, node ${machine.node}, nx ${machine.nx}, load average ${machine.loadAverage.join(' ')}\n\n`,
  );
  // A run of some parts keeps the others' measurements from the last run that made them.
  const results: Record<string, unknown> =
    parts.length < Object.keys(PARTS).length && fs.existsSync(RESULTS)
      ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
      : {};
  results.machine = machine;
  for (const name of parts) {
    const { key, step, run } = PARTS[name] as Part;
    process.stderr.write(`[bench] ${step}...\n`);
    const { result, tables } = await run();
    tables.forEach(print);
    results[key] = result;
  }
  const { againstNx, scheduleQuality, overhead, scale } = results as {
    againstNx?: AgainstNxResult;
    scheduleQuality?: ScheduleQualityResult;
    overhead?: OverheadMeasurement[];
    scale?: ScaleMeasurement[];
  };
  if (againstNx && scheduleQuality && overhead && scale) {
    results.targets = checkTargets({ againstNx, scheduleQuality, overhead, scale });
    print(targetsTable(results.targets as ReturnType<typeof checkTargets>));
  }
  // Formatted as the repository's formatter would, so the committed file passes its check.
  const options = { ...(await resolveConfig(RESULTS)), parser: 'json' };
  const ordered = { machine: results.machine, targets: results.targets, ...results };
  fs.writeFileSync(RESULTS, await format(JSON.stringify(ordered), options));
  process.stdout.write(`Wrote ${path.relative(process.cwd(), RESULTS)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
