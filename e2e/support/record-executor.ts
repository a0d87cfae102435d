/**
 * The source of `tools/record`, a local executor that e2e workspaces use for their tasks. It appends
 * one JSON line per task to `record.log` (O_APPEND writes of one short line do not interleave across
 * processes), so tests assert order and concurrency from the recorded start and end times.
 *
 * Fault options, for the failure tests: `exitCode` (process.exit), `killSelf` (SIGKILL to its own
 * process: on threads that is the main process), `crashOnce` (exits with code 3 on the first
 * attempt of a run, succeeds on the next), `throwUncaught` / `rejectUnhandled` (an error outside
 * the returned promise), `hang`, `busy` (loops forever in synchronous code, deaf to messages and
 * signal handlers), `spawnHang` (starts `sleep 300` and never resolves), `chdir`,
 * `bigOutputMb` (that many lines of 1 MiB of `#`, newline included), `waitForRecords` (waits until
 * those tasks are in `record.log`). A task that dies or hangs writes no record, only its start
 * marker `marks/<task>.started` (its pid and threadId).
 *
 * Hostile options, left in place when the task ends: `dropWriteCallback` (wraps
 * process.stdout.write and never calls its callback), `cork` (process.stdout.cork() without
 * uncork), `removeCwd` (changes into a new folder and removes it), `swallowErrors` (an
 * uncaughtException listener that ignores everything), `leave` (`{ after, kind }`: once task
 * `after` has started, prints `LATE <task>`, rejects a promise nobody awaits, or throws from a
 * timer, then writes `marks/<task>.late`), `waitForFiles` (paths relative to the root).
 */
export const RECORD_EXECUTOR_JS = String.raw`
const fs = require('fs');
const path = require('path');
const { threadId, isMainThread } = require('worker_threads');

const RECORDED_ENV = ['NX_TASK_TARGET_PROJECT', 'NX_TASK_TARGET_TARGET', 'NX_TASK_TARGET_CONFIGURATION', 'NX_WORKSPACE_ROOT'];

function marker(root, task) {
  return path.join(root, 'marks', task.replace(/[^a-zA-Z0-9_-]/g, '_') + '.started');
}

function recorded(root, tasks) {
  const log = path.join(root, 'record.log');
  if (!fs.existsSync(log)) return false;
  const done = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).task);
  return tasks.every((task) => done.includes(task));
}

async function waitForRecords(root, tasks, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (!recorded(root, tasks)) {
    if (Date.now() > deadline) throw new Error('records not written: ' + tasks.join(', '));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const never = () => new Promise(() => undefined);

// Each of these ends the task without a result, or never gives one.
function injectFault(options, root, task) {
  if (options.crashOnce) {
    const crashed = marker(root, task) + '.crashed';
    if (!fs.existsSync(crashed)) {
      fs.writeFileSync(crashed, '');
      process.exit(3);
    }
  }
  if (options.exitCode !== undefined) process.exit(options.exitCode);
  if (options.killSelf) process.kill(process.pid, 'SIGKILL');
  if (options.throwUncaught) {
    setTimeout(() => {
      throw new Error(options.throwUncaught);
    }, 0);
    return never();
  }
  if (options.rejectUnhandled) {
    void Promise.reject(new Error(options.rejectUnhandled));
    return never();
  }
  if (options.spawnHang) {
    require('child_process').spawn('sleep', ['300'], { stdio: 'ignore' });
    return never();
  }
  if (options.hang) return never();
  if (options.busy) for (;;);
  return undefined;
}

function leaveBehind(root, task, leave) {
  const fire = () => {
    const done = () => fs.writeFileSync(marker(root, task) + '.late', '');
    if (leave.kind === 'print') {
      console.log('LATE ' + task);
      done();
    } else if (leave.kind === 'reject') {
      done();
      void Promise.reject(new Error('late rejection of ' + task));
    } else {
      done();
      throw new Error('late throw of ' + task);
    }
  };
  const poll = setInterval(() => {
    if (!fs.existsSync(marker(root, leave.after))) return;
    clearInterval(poll);
    fire();
  }, 10);
}

function beHostile(options, root, task) {
  if (options.dropWriteCallback) {
    const write = process.stdout.write;
    process.stdout.write = function (chunk, encoding) {
      return write.call(process.stdout, chunk, typeof encoding === 'string' ? encoding : undefined);
    };
  }
  if (options.cork) {
    process.stdout.cork();
    process.stdout.write('CORKED ' + task + '\n');
  }
  if (options.removeCwd) {
    const dir = fs.mkdtempSync(path.join(root, 'gone-'));
    process.chdir(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (options.swallowErrors) process.on('uncaughtException', () => undefined);
  if (options.leave) leaveBehind(root, task, options.leave);
}

async function waitForFiles(root, files, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (!files.every((file) => fs.existsSync(path.join(root, file)))) {
    if (Date.now() > deadline) throw new Error('files not written: ' + files.join(', '));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
  fs.writeFileSync(marker(context.root, task), JSON.stringify({ pid: process.pid, threadId }));
  if (options.setEnv) Object.assign(process.env, options.setEnv);
  if (options.writeOutput) {
    const out = path.join(context.root, 'dist', context.projectsConfigurations.projects[context.projectName].root);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'out.txt'), 'built ' + task);
  }
  if (options.barrier) await meet(context.root, options.barrier, options.barrierSeconds || 30);
  if (options.waitForRecords) await waitForRecords(context.root, options.waitForRecords, options.barrierSeconds || 30);
  if (options.waitForFiles) await waitForFiles(context.root, options.waitForFiles, options.barrierSeconds || 30);
  const fault = injectFault(options, context.root, task);
  if (fault) await fault;
  if (options.chdir) process.chdir(path.resolve(context.root, options.chdir));
  if (options.bigOutputMb) {
    const line = '#'.repeat(1024 * 1024 - 1);
    for (let i = 0; i < options.bigOutputMb; i++) console.log(line);
  }
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
  beHostile(options, context.root, task);
  if (options.throwMessage) throw new Error(options.throwMessage);
  return { success: !options.fail };
};
`;
