/**
 * The source of `tools/record`, a local executor that e2e workspaces use for their tasks. It appends
 * one JSON line per task to `record.log` (O_APPEND writes of one short line do not interleave across
 * processes), so tests assert order and concurrency from the recorded start and end times.
 */
export const RECORD_EXECUTOR_JS = String.raw`
const fs = require('fs');
const path = require('path');
const { threadId, isMainThread } = require('worker_threads');

const RECORDED_ENV = ['NX_TASK_TARGET_PROJECT', 'NX_TASK_TARGET_TARGET', 'NX_TASK_TARGET_CONFIGURATION', 'NX_WORKSPACE_ROOT'];

function marker(root, task) {
  return path.join(root, 'marks', task.replace(/[^a-zA-Z0-9_-]/g, '_') + '.started');
}

// Waits until every task of the barrier has started: proof that they ran at the same time.
async function meet(root, tasks, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (!tasks.every((task) => fs.existsSync(marker(root, task)))) {
    if (Date.now() > deadline) throw new Error('barrier not met: ' + tasks.join(', '));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

module.exports = async function record(options, context) {
  const start = Date.now();
  const task = [context.projectName, context.targetName, context.configurationName].filter(Boolean).join(':');
  const env = {};
  for (const name of [...RECORDED_ENV, ...(options.recordEnv || [])]) env[name] = process.env[name];
  fs.mkdirSync(path.join(context.root, 'marks'), { recursive: true });
  fs.writeFileSync(marker(context.root, task), '');
  if (options.setEnv) Object.assign(process.env, options.setEnv);
  if (options.barrier) await meet(context.root, options.barrier, options.barrierSeconds || 30);
  for (let i = 0; i < (options.lines || 0); i++) {
    console.log('LINE ' + task + ' ' + i);
    if (options.lineMs) await new Promise((resolve) => setTimeout(resolve, options.lineMs));
  }
  await new Promise((resolve) => setTimeout(resolve, options.ms === undefined ? 100 : options.ms));
  const end = Date.now();
  fs.appendFileSync(
    path.join(context.root, 'record.log'),
    JSON.stringify({ task, pid: process.pid, ppid: process.ppid, threadId, isMainThread, start, end, env, value: options.value }) + '\n',
  );
  if (options.throwMessage) throw new Error(options.throwMessage);
  return { success: !options.fail };
};
`;
