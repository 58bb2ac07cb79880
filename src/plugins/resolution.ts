import semver from 'semver';
import type { PluginManifest } from './manifest.js';

/** A plugin that cannot load, and why (one or more sentences that name the plugin). */
export interface ResolutionFailure {
  name: string;
  reason: string;
}

/** The outcome of {@link resolvePlugins}. */
export interface Resolution {
  /** Plugins that can load, dependencies before their dependents; among independent plugins, by name. */
  order: PluginManifest[];
  /** Plugins that cannot load, sorted by name. Disabled plugins are in neither list. */
  failed: ResolutionFailure[];
}

// Pre-release builds of metarepo (0.2.0-rc.1) still satisfy `^0.1.0`-style ranges of plugins written for them.
const RANGE_OPTIONS = { includePrerelease: true };

/**
 * Decides which plugins can load and in which order. A failure never stops the other plugins.
 *
 * A plugin fails when: its `engines.metarepo` range is invalid or not satisfied by `metarepoVersion`; a
 * dependency is not installed, is disabled ("depends on disabled plugin x"), or its version does not satisfy the
 * range; an optional dependency is installed (and enabled) with a version outside its range; it lies on a
 * dependency cycle (the full chain is given: `a → b → c → a`); or a dependency failed ("b failed because its
 * dependency a failed: …", recursively, so the message is the whole chain). A missing, disabled or failed
 * optional dependency is simply absent. Disabled plugins neither load nor fail.
 *
 * Order: Kahn's algorithm (Kahn 1962, "Topological sorting of large networks") taking the smallest name among
 * the plugins whose dependencies are all placed, so the order is deterministic. Cycles: for each plugin, the
 * shortest path back to itself by breadth-first search over dependencies in name order.
 * @param manifests - discovered plugins, names unique (as `discoverPlugins` guarantees).
 */
export function resolvePlugins(manifests: PluginManifest[], opts: { metarepoVersion: string; disabled: Set<string> }): Resolution {
  const active = new Map(
    manifests.filter((m) => !opts.disabled.has(m.name)).sort((a, b) => compare(a.name, b.name)).map((m) => [m.name, m]),
  );
  const reasons = new Map<string, string>();
  for (const m of active.values()) {
    const own = ownProblems(m, active, opts);
    if (own.length > 0) reasons.set(m.name, own.join('; '));
  }

  // Edges: required dependencies that are active, and optional ones that are active.
  const edges = new Map([...active.values()].map((m) => [m.name, dependencyNames(m).filter((d) => active.has(d))]));
  for (const name of active.keys()) {
    const cycle = cycleThrough(name, edges);
    if (cycle) reasons.set(name, [reasons.get(name), `${name} is in a dependency cycle: ${cycle.join(' → ')}`].filter(Boolean).join('; '));
  }

  // Every plugin on a cycle already has a reason, so this recursion walks an acyclic graph.
  const failedBecauseOf = (name: string): string | undefined => {
    if (reasons.has(name)) return reasons.get(name);
    const m = active.get(name)!;
    for (const dep of Object.keys(m.dependencies).sort(compare)) {
      const depReason = active.has(dep) ? failedBecauseOf(dep) : undefined;
      if (depReason !== undefined) {
        const reason = `${name} failed because its dependency ${dep} failed: ${depReason}`;
        reasons.set(name, reason);
        return reason;
      }
    }
    return undefined;
  };
  for (const name of active.keys()) failedBecauseOf(name);

  const ok = [...active.values()].filter((m) => !reasons.has(m.name));
  return {
    order: topologicalOrder(ok, (m) => (edges.get(m.name) ?? []).filter((d) => !reasons.has(d))),
    failed: [...reasons].map(([name, reason]) => ({ name, reason })).sort((a, b) => compare(a.name, b.name)),
  };
}

/** The plugin's own problems: engines and dependency presence / versions (not what its dependencies suffer). */
function ownProblems(m: PluginManifest, active: Map<string, PluginManifest>, opts: { metarepoVersion: string; disabled: Set<string> }): string[] {
  const problems: string[] = [];
  const range = m.engines.metarepo;
  if (!semver.validRange(range)) problems.push(`${m.name} declares engines.metarepo "${range}", which is not a semver range`);
  else if (!semver.satisfies(opts.metarepoVersion, range, RANGE_OPTIONS)) {
    problems.push(`${m.name} requires metarepo ${range}, but this is metarepo ${opts.metarepoVersion}`);
  }
  const check = (dep: string, want: string, optional: boolean): void => {
    const kind = optional ? 'optional dependency' : 'plugin';
    const found = active.get(dep);
    if (!semver.validRange(want)) problems.push(`${m.name} declares ${kind} ${dep}@"${want}", which is not a semver range`);
    else if (found && !semver.satisfies(found.version, want, RANGE_OPTIONS)) {
      problems.push(`${m.name} requires ${kind} ${dep}@${want}, but ${dep} is version ${found.version}`);
    } else if (!found && !optional) {
      problems.push(opts.disabled.has(dep) ? `${m.name} depends on disabled plugin ${dep}` : `${m.name} requires plugin ${dep}@${want}, which is not installed`);
    }
  };
  for (const [dep, want] of sorted(m.dependencies)) check(dep, want, false);
  for (const [dep, want] of sorted(m.optionalDependencies)) check(dep, want, true);
  return problems;
}

function dependencyNames(m: PluginManifest): string[] {
  return [...new Set([...Object.keys(m.dependencies), ...Object.keys(m.optionalDependencies)])].sort(compare);
}

/** The shortest dependency chain from `start` back to itself (`[a, b, a]`), or `undefined` when there is none. */
function cycleThrough(start: string, edges: Map<string, string[]>): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const dep of edges.get(node) ?? []) {
      if (dep === start) {
        const chain = [start];
        for (let n: string | undefined = node; n !== undefined && n !== start; n = previous.get(n)) chain.unshift(n);
        return [start, ...chain];
      }
      if (!previous.has(dep)) {
        previous.set(dep, node);
        queue.push(dep);
      }
    }
  }
  return undefined;
}

/** Kahn's algorithm, smallest name first among the ready nodes. `deps` must stay inside `nodes` and be acyclic. */
function topologicalOrder(nodes: PluginManifest[], deps: (m: PluginManifest) => string[]): PluginManifest[] {
  const remaining = new Map(nodes.map((m) => [m.name, new Set(deps(m))]));
  const byName = new Map(nodes.map((m) => [m.name, m]));
  const order: PluginManifest[] = [];
  while (remaining.size > 0) {
    const next = [...remaining].filter(([, d]) => d.size === 0).map(([n]) => n).sort(compare)[0];
    remaining.delete(next);
    for (const d of remaining.values()) d.delete(next);
    order.push(byName.get(next)!);
  }
  return order;
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => compare(a, b));
}

/** Code-unit order, independent of the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
