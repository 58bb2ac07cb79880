import { MetarepoError, EXIT_FAILURE } from '../core/errors.js';
import type { Bus } from '../events/bus.js';

/** The states of a plugin (DESIGN.md, "Plugin"). */
export type PluginState = 'discovered' | 'resolved' | 'loaded' | 'enabled' | 'disabled' | 'unloaded' | 'failed';

/**
 * Legal transitions, as data: discovered → resolved → loaded → enabled ⇄ disabled → unloaded, and `failed` from
 * every state but itself. `failed` and `unloaded` are final (a reload starts a new lifecycle), except that an
 * unloaded plugin can still be marked failed (e.g. its disposal reported errors).
 */
export const PLUGIN_TRANSITIONS: Readonly<Record<PluginState, readonly PluginState[]>> = Object.freeze({
  discovered: ['resolved', 'failed'],
  resolved: ['loaded', 'failed'],
  loaded: ['enabled', 'failed'],
  enabled: ['disabled', 'failed'],
  disabled: ['enabled', 'unloaded', 'failed'],
  unloaded: ['failed'],
  failed: [],
});

/** One state change, as listeners and `core:plugin:<to>` events see it. */
export interface PluginTransition {
  plugin: string;
  from: PluginState;
  to: PluginState;
  /** Set when `to` is `failed`. */
  reason?: string;
}

/** The explicit state machine of one plugin. Starts in `discovered`. */
export class PluginLifecycle {
  private current: PluginState = 'discovered';
  private failure: string | undefined;
  private readonly listeners = new Set<(t: PluginTransition) => void>();

  constructor(readonly plugin: string) {}

  get state(): PluginState {
    return this.current;
  }

  /** Why the plugin failed, once it has. */
  get reason(): string | undefined {
    return this.failure;
  }

  /**
   * Moves to `to` (then calls the listeners in the order they were added; an error a listener throws reaches the
   * caller, after the state has changed).
   * @throws MetarepoError (exit 1) when {@link PLUGIN_TRANSITIONS} does not allow `state → to`, naming both and
   *   the legal targets; the state is unchanged then.
   */
  transition(to: 'failed', reason: string): void;
  transition(to: Exclude<PluginState, 'failed'>): void;
  transition(to: PluginState, reason?: string): void {
    const from = this.current;
    const legal = PLUGIN_TRANSITIONS[from];
    if (!legal.includes(to)) {
      throw new MetarepoError(`Plugin ${this.plugin} cannot go from ${from} to ${to}.`, {
        hint: legal.length > 0 ? `From ${from} it can go to: ${legal.join(', ')}.` : `${from} is final; reload the plugin to start again.`,
        exitCode: EXIT_FAILURE,
      });
    }
    this.current = to;
    if (to === 'failed') this.failure = reason;
    const t: PluginTransition = { plugin: this.plugin, from, to, ...(to === 'failed' ? { reason } : {}) };
    for (const listener of [...this.listeners]) listener(t);
  }

  /** Calls `listener` after every transition. @returns a function that removes it. */
  onTransition(listener: (t: PluginTransition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Publishes each transition of `lifecycle` on `bus` as `core:plugin:<to>` (`resolved`, `loaded`, `enabled`,
 * `disabled`, `unloaded`, `failed`) with the {@link PluginTransition} as data and `core` as source.
 * @returns a function that stops publishing.
 */
export function publishTransitions(lifecycle: PluginLifecycle, bus: Bus): () => void {
  return lifecycle.onTransition((t) => {
    bus.publish(`core:plugin:${t.to}`, t);
  });
}
