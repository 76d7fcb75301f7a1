import express from 'express';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hasPermission, PERMISSIONS, ROLES } from '../../../server/domain/roles.ts';
import { defineRoute, mountRoutes, type RouteDefinition } from '../../../server/http/route_definition.ts';

const pool = {} as pg.Pool;

describe('route access declarations', () => {
  it('refuses at mount time a route that declares no access', () => {
    const route = { method: 'get', path: '/x', tag: 't', summary: 's', handler: async () => ({}) } as unknown as RouteDefinition;
    expect(() => mountRoutes(express.Router(), [route], { pool })).toThrow(/declares no access/);
  });

  it('refuses a permission that is not in the table', () => {
    const route = defineRoute({ method: 'get', path: '/x', tag: 't', summary: 's', access: { permission: 'nope' as 'network.read' }, handler: async () => ({}) });
    expect(() => mountRoutes(express.Router(), [route], { pool })).toThrow(/unknown permission/);
  });

  it('every permission names known roles, and only admin reads the audit trail', () => {
    for (const roles of Object.values(PERMISSIONS)) for (const role of roles) expect(ROLES).toContain(role);
    expect(ROLES.filter((role) => hasPermission(role, 'audit.read'))).toEqual(['admin']);
    expect(ROLES.every((role) => hasPermission(role, 'network.read'))).toBe(true);
  });
});
