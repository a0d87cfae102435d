/**
 * A picture of the inner task graph (`graphFile`): DOT (`.dot`, `.gv`), Mermaid (`.mmd`,
 * `.mermaid`) or JSON (`.json`), picked by the file's extension, with the critical path marked.
 */
import { extname } from 'node:path';

export type GraphFormat = 'dot' | 'mermaid' | 'json';

const EXTENSIONS: Readonly<Record<string, GraphFormat>> = {
  '.dot': 'dot',
  '.gv': 'dot',
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
  '.json': 'json',
};

export const GRAPH_EXTENSIONS = Object.keys(EXTENSIONS);

export function graphFormatOf(path: string): GraphFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

export interface GraphView {
  ids: readonly string[];
  dependencies: Readonly<Record<string, readonly string[]>>;
  criticalPath: readonly string[];
}

/** The edges of the critical path, as `dependency -> dependent`. */
function pathEdges(path: readonly string[]): Set<string> {
  const edges = new Set<string>();
  for (let i = 1; i < path.length; i++) edges.add(`${path[i - 1]}->${path[i]}`);
  return edges;
}

const quote = (text: string): string => JSON.stringify(text);

function formatDot(graph: GraphView): string {
  const onPath = new Set(graph.criticalPath);
  const edges = pathEdges(graph.criticalPath);
  const lines = ['digraph tasks {', '  rankdir=LR;', '  node [shape=box];'];
  for (const id of graph.ids) {
    lines.push(`  ${quote(id)}${onPath.has(id) ? ' [color=red, penwidth=2]' : ''};`);
  }
  for (const id of graph.ids) {
    for (const dependency of graph.dependencies[id] ?? []) {
      const marked = edges.has(`${dependency}->${id}`) ? ' [color=red, penwidth=2]' : '';
      lines.push(`  ${quote(dependency)} -> ${quote(id)}${marked};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function formatMermaid(graph: GraphView): string {
  const node = new Map(graph.ids.map((id, index) => [id, `t${index}`]));
  const onPath = new Set(graph.criticalPath);
  const edges = pathEdges(graph.criticalPath);
  const lines = ['flowchart LR'];
  for (const id of graph.ids) lines.push(`  ${node.get(id)}[${quote(id)}]`);
  const marked: number[] = [];
  let edge = 0;
  for (const id of graph.ids) {
    for (const dependency of graph.dependencies[id] ?? []) {
      lines.push(`  ${node.get(dependency)} --> ${node.get(id)}`);
      if (edges.has(`${dependency}->${id}`)) marked.push(edge);
      edge++;
    }
  }
  lines.push('  classDef critical stroke:#d00,stroke-width:3px');
  const critical = graph.ids.filter((id) => onPath.has(id)).map((id) => node.get(id));
  if (critical.length) lines.push(`  class ${critical.join(',')} critical`);
  if (marked.length) lines.push(`  linkStyle ${marked.join(',')} stroke:#d00,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

function formatJson(graph: GraphView): string {
  const onPath = new Set(graph.criticalPath);
  const edges = pathEdges(graph.criticalPath);
  return `${JSON.stringify(
    {
      nodes: graph.ids.map((id) => ({ id, critical: onPath.has(id) })),
      edges: graph.ids.flatMap((id) =>
        (graph.dependencies[id] ?? []).map((dependency) => ({
          from: dependency,
          to: id,
          critical: edges.has(`${dependency}->${id}`),
        })),
      ),
      criticalPath: graph.criticalPath,
    },
    null,
    2,
  )}\n`;
}

export function formatGraph(format: GraphFormat, graph: GraphView): string {
  switch (format) {
    case 'dot':
      return formatDot(graph);
    case 'mermaid':
      return formatMermaid(graph);
    case 'json':
      return formatJson(graph);
    default: {
      const never: never = format;
      return never;
    }
  }
}
