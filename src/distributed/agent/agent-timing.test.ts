import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAgentTiming } from './agent-timing';

const VARIABLE = 'NX_PARALLEL_AGENT_TIMING';

describe('parseAgentTiming', () => {
  it('takes milliseconds by name, and nothing when unset', () => {
    assert.deepEqual(parseAgentTiming('{"pollMs":50,"keepWarmMs":200}', VARIABLE), { pollMs: 50, keepWarmMs: 200 });
    assert.deepEqual(parseAgentTiming(undefined, VARIABLE), {});
    assert.deepEqual(parseAgentTiming('', VARIABLE), {});
  });

  it('refuses what is not an object of known names and whole milliseconds, saying which', () => {
    const cases: [string, RegExp][] = [
      ['fast', /NX_PARALLEL_AGENT_TIMING must be a JSON object of milliseconds, not 'fast'/],
      ['[50]', /must be a JSON object of milliseconds/],
      ['{"pollMS":50}', /names 'pollMS', which is not one of: pollMs, sweepMs, heartbeatMs/],
      ['{"pollMs":0}', /'pollMs' takes an integer number of milliseconds >= 1, not 0/],
      ['{"heartbeatMs":"1s"}', /'heartbeatMs' takes an integer number of milliseconds >= 1, not "1s"/],
    ];
    for (const [text, message] of cases) assert.throws(() => parseAgentTiming(text, VARIABLE), message, text);
  });
});
