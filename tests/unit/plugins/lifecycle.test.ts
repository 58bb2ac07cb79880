import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { PLUGIN_TRANSITIONS, PluginLifecycle, publishTransitions, type PluginState, type PluginTransition } from '../../../src/plugins/lifecycle.js';

const STATES: PluginState[] = ['discovered', 'resolved', 'loaded', 'enabled', 'disabled', 'unloaded', 'failed'];

/** A legal path from `discovered` to each state. */
const PATH: Record<PluginState, PluginState[]> = {
  discovered: [],
  resolved: ['resolved'],
  loaded: ['resolved', 'loaded'],
  enabled: ['resolved', 'loaded', 'enabled'],
  disabled: ['resolved', 'loaded', 'enabled', 'disabled'],
  unloaded: ['resolved', 'loaded', 'enabled', 'disabled', 'unloaded'],
  failed: ['failed'],
};

function go(lc: PluginLifecycle, to: PluginState): void {
  if (to === 'failed') lc.transition('failed', 'broken');
  else lc.transition(to);
}

function at(state: PluginState): PluginLifecycle {
  const lc = new PluginLifecycle('p');
  for (const s of PATH[state]) go(lc, s);
  expect(lc.state).toBe(state);
  return lc;
}

const legal = STATES.flatMap((from) => PLUGIN_TRANSITIONS[from].map((to) => [from, to] as const));
const illegal = STATES.flatMap((from) => STATES.filter((to) => !PLUGIN_TRANSITIONS[from].includes(to)).map((to) => [from, to] as const));

describe('PluginLifecycle', () => {
  it('the table is the design: discovered → resolved → loaded → enabled ⇄ disabled → unloaded, failed from any other state', () => {
    expect(PLUGIN_TRANSITIONS).toEqual({
      discovered: ['resolved', 'failed'],
      resolved: ['loaded', 'failed'],
      loaded: ['enabled', 'failed'],
      enabled: ['disabled', 'failed'],
      disabled: ['enabled', 'unloaded', 'failed'],
      unloaded: ['failed'],
      failed: [],
    });
    expect(new PluginLifecycle('p').state).toBe('discovered');
  });

  it.each(legal)('%s → %s is legal and notifies listeners', (from, to) => {
    const lc = at(from);
    const seen: PluginTransition[] = [];
    lc.onTransition((t) => seen.push(t));
    go(lc, to);
    expect(lc.state).toBe(to);
    expect(seen).toEqual([to === 'failed' ? { plugin: 'p', from, to, reason: 'broken' } : { plugin: 'p', from, to }]);
    expect(lc.reason).toBe(to === 'failed' ? 'broken' : undefined);
  });

  it.each(illegal)('%s → %s is illegal', (from, to) => {
    const lc = at(from);
    let notified = false;
    lc.onTransition(() => (notified = true));
    let error: unknown;
    try {
      go(lc, to);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetarepoError);
    expect((error as MetarepoError).message).toBe(`Plugin p cannot go from ${from} to ${to}.`);
    const legalTargets = PLUGIN_TRANSITIONS[from];
    expect((error as MetarepoError).hint).toBe(legalTargets.length ? `From ${from} it can go to: ${legalTargets.join(', ')}.` : `${from} is final; reload the plugin to start again.`);
    expect(lc.state).toBe(from);
    expect(notified).toBe(false);
  });

  it('covers every pair of states between the two tables', () => {
    expect(legal.length + illegal.length).toBe(STATES.length * STATES.length);
    expect(illegal).toContainEqual(['discovered', 'enabled']);
    expect(illegal).toContainEqual(['failed', 'resolved']);
  });

  it('stops notifying a removed listener', () => {
    const lc = new PluginLifecycle('p');
    const seen: string[] = [];
    const off = lc.onTransition((t) => seen.push(t.to));
    lc.transition('resolved');
    off();
    lc.transition('loaded');
    expect(seen).toEqual(['resolved']);
  });

  it('publishes core:plugin:<state> events for each transition', () => {
    const bus = new InProcessBus();
    const events: EventEnvelope[] = [];
    bus.subscribe('core:plugin:*', (e) => void events.push(e));
    const lc = new PluginLifecycle('demo');
    publishTransitions(lc, bus);
    for (const s of PATH.unloaded) go(lc, s);
    lc.transition('failed', 'dispose failed');
    expect(events.map((e) => e.type)).toEqual([
      'core:plugin:resolved',
      'core:plugin:loaded',
      'core:plugin:enabled',
      'core:plugin:disabled',
      'core:plugin:unloaded',
      'core:plugin:failed',
    ]);
    expect(events.every((e) => e.source === 'core')).toBe(true);
    expect(events[5].data).toEqual({ plugin: 'demo', from: 'unloaded', to: 'failed', reason: 'dispose failed' });
  });
});
