/** Separation-of-duties rules per jurisdiction, and the certified officers a notice may name. */
import { z } from 'zod';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { scopedJurisdiction } from '../patrols/routes.ts';
import { selectCertifiedOfficers, upsertDutyRules } from './queries.ts';
import { effectiveDutyRules, rulesFromRow } from './service.ts';

const jurisdictionSchema = z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code');

const rulesBody = z.strictObject({
  jurisdiction: jurisdictionSchema.optional(),
  reinspectorDiffersFromClearanceReporter: z.boolean('reinspectorDiffersFromClearanceReporter must be true or false'),
  reinspectionNeedsOwnPhoto: z.boolean('reinspectionNeedsOwnPhoto must be true or false'),
  closerDiffersFromClearanceReporter: z.boolean('closerDiffersFromClearanceReporter must be true or false'),
  noticeNeedsTwoOfficers: z.boolean('noticeNeedsTwoOfficers must be true or false'),
});

export function dutyRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/duty-rules',
      tag: 'violations',
      summary: 'Separation-of-duties rules in effect for a jurisdiction (own by default) and which jurisdiction set them',
      access: { permission: 'violations.read' },
      query: z.object({ jurisdiction: jurisdictionSchema.optional() }),
      handler: async ({ db, query, ...input }) => {
        const jurisdictionCode = scopedJurisdiction(requireUser(input), query.jurisdiction);
        const effective = await effectiveDutyRules(db, jurisdictionCode);
        return { jurisdiction: jurisdictionCode, ...effective.rules, setBy: effective.setBy };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/duty-rules',
      tag: 'violations',
      summary: 'Set the separation-of-duties rules of a jurisdiction in scope (applies to it and below)',
      access: { permission: 'duties.configure' },
      body: rulesBody,
      handler: async ({ db, body, audit, ...input }) => {
        const user = requireUser(input);
        const jurisdictionCode = scopedJurisdiction(user, body.jurisdiction);
        const before = await effectiveDutyRules(db, jurisdictionCode);
        const row = await upsertDutyRules(db, {
          jurisdiction_code: jurisdictionCode,
          reinspector_differs_from_clearance_reporter: body.reinspectorDiffersFromClearanceReporter,
          reinspection_needs_own_photo: body.reinspectionNeedsOwnPhoto,
          closer_differs_from_clearance_reporter: body.closerDiffersFromClearanceReporter,
          notice_needs_two_officers: body.noticeNeedsTwoOfficers,
          updated_by_username: user.username,
        });
        const after = { jurisdiction: jurisdictionCode, ...rulesFromRow(row!), setBy: jurisdictionCode };
        await audit({ action: 'duty_rules.set', entityType: 'duty_rules', entityId: jurisdictionCode, before: { ...before.rules, setBy: before.setBy }, after });
        return after;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/officers/certified',
      tag: 'violations',
      summary: 'Officers and managers in scope with an enforcement certificate number (second officer on a notice)',
      access: { permission: 'cases.transition' },
      handler: async ({ db }) => {
        const rows = await selectCertifiedOfficers(db);
        return {
          items: rows.map((row) => ({ id: row.id, username: row.username, displayName: row.display_name, role: row.role, certificateNumber: row.enforcement_certificate_number })),
        };
      },
    }),
  ];
}
