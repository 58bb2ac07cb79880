import { MetarepoError } from '../core/errors.js';
import type { Check, CodegenGenerator, PageContribution, PatternContribution, PluginCommand, ScaffoldGenerator } from './api.js';

/** One thing a plugin registered, tagged with the plugin's name. */
export type Contribution =
  | { kind: 'codegen'; plugin: string; item: CodegenGenerator }
  | { kind: 'scaffold'; plugin: string; item: ScaffoldGenerator }
  | { kind: 'check'; plugin: string; item: Check }
  | { kind: 'command'; plugin: string; item: PluginCommand }
  | { kind: 'patterns'; plugin: string; item: PatternContribution }
  | { kind: 'pages'; plugin: string; item: PageContribution };

/** The kinds of contribution. */
export type ContributionKind = Contribution['kind'];

/** Where a plugin context sends registrations, and takes them back on dispose. */
export interface ContributionSink {
  /** @throws MetarepoError to refuse the contribution (the plugin's `register…` call throws it). */
  add(contribution: Contribution): void;
  remove(contribution: Contribution): void;
}

/** A {@link ContributionSink} that keeps contributions by kind and name, each name once across plugins. */
export class ContributionRegistry implements ContributionSink {
  private readonly byKind = new Map<ContributionKind, Map<string, Contribution>>();

  /** @throws MetarepoError (exit 2) when another plugin already contributes the same kind and name. */
  add(contribution: Contribution): void {
    const map = this.map(contribution.kind);
    const existing = map.get(contribution.item.name);
    if (existing) {
      throw new MetarepoError(
        `Plugin ${contribution.plugin} contributes ${contribution.kind} "${contribution.item.name}", which plugin ${existing.plugin} already contributes.`,
        { hint: `Disable one of them in metarepo.yaml (plugins.<name>.enabled: false).` },
      );
    }
    map.set(contribution.item.name, contribution);
  }

  /** Removes `contribution` if it is the one registered under its name. */
  remove(contribution: Contribution): void {
    const map = this.map(contribution.kind);
    if (map.get(contribution.item.name) === contribution) map.delete(contribution.item.name);
  }

  /** The contribution of `kind` named `name`. */
  get<K extends ContributionKind>(kind: K, name: string): Extract<Contribution, { kind: K }> | undefined {
    return this.map(kind).get(name) as Extract<Contribution, { kind: K }> | undefined;
  }

  /** Every contribution of `kind`, sorted by name. */
  list<K extends ContributionKind>(kind: K): Array<Extract<Contribution, { kind: K }>> {
    return [...this.map(kind).values()].sort((a, b) => (a.item.name < b.item.name ? -1 : 1)) as Array<Extract<Contribution, { kind: K }>>;
  }

  private map(kind: ContributionKind): Map<string, Contribution> {
    let map = this.byKind.get(kind);
    if (!map) this.byKind.set(kind, (map = new Map()));
    return map;
  }
}
