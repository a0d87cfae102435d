import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGraph, graphFormatOf } from './graph-file';

const graph = {
  ids: ['a:build', 'b:build', 'c:build', 'app:build'],
  dependencies: { 'b:build': ['a:build'], 'c:build': ['a:build'], 'app:build': ['b:build', 'c:build'] },
  criticalPath: ['a:build', 'b:build', 'app:build'],
};

describe('graph file', () => {
  it('picks the format by extension', () => {
    assert.equal(graphFormatOf('out/g.dot'), 'dot');
    assert.equal(graphFormatOf('g.GV'), 'dot');
    assert.equal(graphFormatOf('g.mmd'), 'mermaid');
    assert.equal(graphFormatOf('g.json'), 'json');
    assert.equal(graphFormatOf('g.png'), undefined);
  });

  it('marks the critical path in DOT', () => {
    const dot = formatGraph('dot', graph);
    assert.match(dot, /^digraph tasks \{/);
    assert.match(dot, /"a:build" -> "b:build" \[color=red, penwidth=2\];/);
    assert.match(dot, /"a:build" -> "c:build";/);
    assert.match(dot, /"c:build";/);
    assert.match(dot, /"app:build" \[color=red, penwidth=2\];/);
  });

  it('marks the critical path in Mermaid', () => {
    const mermaid = formatGraph('mermaid', graph);
    assert.match(mermaid, /^flowchart LR/);
    assert.match(mermaid, /class t0,t1,t3 critical/);
    // Edges in order: a->b (0), a->c (1), b->app (2), c->app (3).
    assert.match(mermaid, /linkStyle 0,2 stroke/);
  });

  it('marks the critical path in JSON', () => {
    const json = JSON.parse(formatGraph('json', graph)) as {
      nodes: { id: string; critical: boolean }[];
      edges: { from: string; to: string; critical: boolean }[];
    };
    assert.deepEqual(
      json.nodes.filter((node) => node.critical).map((node) => node.id),
      graph.criticalPath,
    );
    assert.deepEqual(
      json.edges.filter((edge) => edge.critical).map((edge) => `${edge.from}->${edge.to}`),
      ['a:build->b:build', 'b:build->app:build'],
    );
  });
});
