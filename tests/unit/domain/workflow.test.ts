import { describe, expect, it } from 'vitest';
import { defineWorkflow, type WorkflowSpec } from '../../../server/domain/workflow.ts';

// A toy door: closed ⇄ open, locked from closed by the keeper only.
type Status = 'closed' | 'open' | 'locked';
type Event = 'open' | 'close' | 'lock' | 'unlock';
type Role = 'guest' | 'keeper';
type Requirement = 'key';
const spec: WorkflowSpec<Status, Event, Role, Requirement> = {
  name: 'door',
  statuses: ['closed', 'open', 'locked'],
  events: ['open', 'close', 'lock', 'unlock'],
  requirements: ['key'],
  transitions: [
    { from: 'closed', event: 'open', to: 'open', roles: ['guest', 'keeper'], requires: [] },
    { from: 'open', event: 'close', to: 'closed', roles: ['guest', 'keeper'], requires: [] },
    { from: 'closed', event: 'lock', to: 'locked', roles: ['keeper'], requires: ['key'] },
    { from: 'locked', event: 'unlock', to: 'closed', roles: ['keeper'], requires: ['key'] },
  ],
};
const door = defineWorkflow(spec);

describe('defineWorkflow', () => {
  it('keeps the spec', () => {
    expect(door.name).toBe('door');
    expect(door.statuses).toEqual(spec.statuses);
    expect(door.transitions).toEqual(spec.transitions);
  });
  it('knows its statuses and events only', () => {
    expect(door.isStatus('open')).toBe(true);
    expect(door.isStatus('ajar')).toBe(false);
    expect(door.isEvent('lock')).toBe(true);
    expect(door.isEvent('kick')).toBe(false);
  });
  it('lists the events a role may send, in the order of `events`', () => {
    expect(door.allowedEvents('closed', 'keeper')).toEqual(['open', 'lock']);
    expect(door.allowedEvents('closed', 'guest')).toEqual(['open']);
    expect(door.allowedEvents('locked', 'guest')).toEqual([]);
  });
  it('returns the row for an allowed step', () => {
    expect(door.nextTransition('closed', 'lock', 'keeper')).toEqual({ ok: true, from: 'closed', event: 'lock', to: 'locked', roles: ['keeper'], requires: ['key'] });
  });
  it('refuses a step not in the table, saying what the role may do instead', () => {
    expect(door.nextTransition('open', 'lock', 'keeper')).toEqual({
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      message: '"lock" is not possible from "open"; allowed for keeper from "open": "close"',
    });
    expect(door.nextTransition('locked', 'open', 'guest')).toEqual({
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      message: '"open" is not possible from "locked"; nothing is allowed for guest from "locked"',
    });
  });
  it('refuses a step for another role, naming the roles it is for', () => {
    expect(door.nextTransition('closed', 'lock', 'guest')).toEqual({
      ok: false,
      code: 'ROLE_NOT_ALLOWED',
      message: '"lock" from "closed" is for keeper, not guest; allowed for guest from "closed": "open"',
    });
    const twoRoles = defineWorkflow<Status, Event, Role, Requirement>({ ...spec, transitions: [{ from: 'closed', event: 'open', to: 'open', roles: ['keeper', 'keeper'], requires: [] }, { from: 'closed', event: 'lock', to: 'locked', roles: ['keeper'], requires: [] }] });
    expect(twoRoles.nextTransition('closed', 'open', 'guest')).toMatchObject({ message: '"open" from "closed" is for keeper or keeper, not guest; nothing is allowed for guest from "closed"' });
    expect(twoRoles.allowedEvents('closed', 'keeper')).toEqual(['open', 'lock']);
  });
  it('throws at definition on a duplicate (from, event), an unknown status, event or requirement', () => {
    const row = spec.transitions[0]!;
    expect(() => defineWorkflow({ ...spec, transitions: [row, { ...row, to: 'locked' }] })).toThrow('workflow door: (closed, open) appears twice');
    expect(() => defineWorkflow({ ...spec, transitions: [{ ...row, from: 'ajar' as Status }] })).toThrow('workflow door: unknown status in ajar open → open');
    expect(() => defineWorkflow({ ...spec, transitions: [{ ...row, to: 'ajar' as Status }] })).toThrow('workflow door: unknown status in closed open → ajar');
    expect(() => defineWorkflow({ ...spec, transitions: [{ ...row, event: 'kick' as Event }] })).toThrow('workflow door: unknown event kick');
    expect(() => defineWorkflow({ ...spec, transitions: [{ ...row, requires: ['key', 'badge' as Requirement] }] })).toThrow('workflow door: unknown requirement badge on closed open');
    // the same event from two statuses is fine
    expect(() => defineWorkflow({ ...spec, transitions: [row, { ...row, from: 'locked' }] })).not.toThrow();
  });
});
