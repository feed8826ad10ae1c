import { foldEvents } from '@attest/decider';
import {
  controlDecider,
  customizedFieldsOf,
  type ControlCommand,
  type ExistingControl,
} from './control-decider';
import type { ControlEvent, ImplementationStatus } from './control-events';
import {
  catalogs,
  checkedSpec,
  CUSTOM_ID,
  dana,
  marcus,
  priya,
  SET_ID,
  T0,
  T1,
  T2,
} from './decider-test-support';
import { adoptedControlIdFor } from './ids';

const decider = controlDecider(catalogs);
const spec = checkedSpec(decider);
const GOV01 = adoptedControlIdFor(SET_ID, 'GOV-01');

const adopted: ControlEvent = {
  type: 'ControlAdopted',
  data: {
    controlId: GOV01,
    controlSetId: SET_ID,
    catalogControlId: 'GOV-01',
    catalogVersion: '1.0.0',
    code: 'GOV-01',
    name: 'GOV-01 name',
    controlType: 'preventive',
    nature: 'manual',
    frequency: 'annual',
    criteria: ['CC1.1'],
    pointsOfFocus: ['CC1.1.1', 'CC1.1.2'],
    ownerRole: 'ceo',
    adoptedAt: T0,
    actor: priya,
  },
};

const customAdded: ControlEvent = {
  type: 'CustomControlAdded',
  data: {
    controlId: CUSTOM_ID,
    controlSetId: SET_ID,
    code: 'LUM-01',
    name: 'Uptime reviewed with customers',
    description: 'Account managers review uptime with each enterprise customer.',
    controlType: 'detective',
    nature: 'manual',
    frequency: 'quarterly',
    criteria: ['A1.1'],
    pointsOfFocus: ['A1.1.2'],
    addedAt: T0,
    actor: priya,
  },
};

const implementation = (
  from: ImplementationStatus,
  to: ImplementationStatus,
  extra: object = {},
): ControlEvent => ({
  type: 'ControlImplementationChanged',
  data: { controlId: GOV01, controlSetId: SET_ID, from, to, ...extra, changedAt: T1, actor: priya },
});

const notApplicable: ControlEvent = {
  type: 'ControlMarkedNotApplicable',
  data: {
    controlId: GOV01,
    controlSetId: SET_ID,
    catalogControlId: 'GOV-01',
    justification: 'No board: the founders run the company directly.',
    markedAt: T1,
    actor: priya,
  },
};

const owned: ControlEvent = {
  type: 'ControlOwnerAssigned',
  data: { controlId: GOV01, controlSetId: SET_ID, owner: marcus, assignedAt: T0, actor: priya },
};
const inProgress = implementation('not-started', 'in-progress');
const implemented = implementation('in-progress', 'implemented', { implementedOn: '2026-03-07' });

const customize = (
  changes: Extract<ControlCommand, { type: 'CustomizeControl' }>['changes'],
  reason?: string,
): ControlCommand => ({
  type: 'CustomizeControl',
  controlId: GOV01,
  changes,
  ...(reason ? { reason } : {}),
  at: T2,
  actor: priya,
});

const change = (
  to: ImplementationStatus,
  extra: Partial<Extract<ControlCommand, { type: 'ChangeControlImplementation' }>> = {},
): ControlCommand => ({
  type: 'ChangeControlImplementation',
  controlId: GOV01,
  to,
  ...extra,
  at: T2,
  actor: priya,
});

describe('control decider', () => {
  describe('state', () => {
    it('an adopted control follows its template and starts not-started', () => {
      const state = foldEvents(decider, [adopted]) as ExistingControl;
      expect(state).toMatchObject({
        origin: 'catalog',
        adoptedFromVersion: '1.0.0',
        templateVersion: '1.0.0',
        implementation: 'not-started',
        definition: { description: 'What the company does for GOV-01.' },
      });
      expect(customizedFieldsOf(state, catalogs)).toEqual([]);
    });

    it('a template upgrade moves the control to the new template and keeps its code', () => {
      const state = foldEvents(decider, [
        adopted,
        {
          type: 'ControlTemplateUpgraded',
          data: {
            controlId: GOV01,
            controlSetId: SET_ID,
            catalogControlId: 'GOV-01',
            fromVersion: '1.0.0',
            toVersion: '2.0.0',
            upgradedAt: T2,
            actor: priya,
          },
        },
      ]) as ExistingControl;
      expect(state.templateVersion).toBe('2.0.0');
      expect(state.definition.frequency).toBe('quarterly');
      expect(state.definition.code).toBe('GOV-01');
      expect(customizedFieldsOf(state, catalogs)).toEqual([]);
    });

    it('a custom control counts as customized in every field', () => {
      const state = foldEvents(decider, [customAdded]) as ExistingControl;
      expect(customizedFieldsOf(state, catalogs)).toContain('name');
    });
  });

  describe('CustomizeControl', () => {
    it('records the changed fields, their previous values and that the control now diverges', () => {
      spec
        .given([adopted])
        .when(
          customize(
            { name: 'Code of conduct signed yearly', frequency: 'annual', pointsOfFocus: ['CC1.1.1'] },
            'Matches our HR cycle',
          ),
        )
        .then([
          {
            type: 'ControlCustomized',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              catalogControlId: 'GOV-01',
              changes: { name: 'Code of conduct signed yearly', pointsOfFocus: ['CC1.1.1'] },
              previous: { name: 'GOV-01 name', pointsOfFocus: ['CC1.1.1', 'CC1.1.2'] },
              divergesFromCatalog: true,
              reason: 'Matches our HR cycle',
              customizedAt: T2,
              actor: priya,
            },
          },
        ]);
    });

    it('says when a change brings the control back to its template', () => {
      const customized: ControlEvent = {
        type: 'ControlCustomized',
        data: {
          controlId: GOV01,
          controlSetId: SET_ID,
          catalogControlId: 'GOV-01',
          changes: { frequency: 'monthly' },
          previous: { frequency: 'annual' },
          divergesFromCatalog: true,
          customizedAt: T1,
          actor: priya,
        },
      };
      spec
        .given([adopted, customized])
        .when(customize({ frequency: 'annual' }))
        .then([
          {
            type: 'ControlCustomized',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              catalogControlId: 'GOV-01',
              changes: { frequency: 'annual' },
              previous: { frequency: 'monthly' },
              divergesFromCatalog: false,
              customizedAt: T2,
              actor: priya,
            },
          },
        ]);
    });

    it('records an owner role change internally (the contract has no field for it)', () => {
      spec
        .given([adopted])
        .when(customize({ ownerRole: 'hr-lead' }))
        .then([
          {
            type: 'ControlOwnerRoleChanged',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              ownerRole: 'hr-lead',
              previousOwnerRole: 'ceo',
              changedAt: T2,
              actor: priya,
            },
          },
        ]);
    });

    it('customizes a custom control (always diverging) without a catalog id', () => {
      spec
        .given([customAdded])
        .when({
          ...customize({ description: 'Reviewed monthly with every customer.' }),
          controlId: CUSTOM_ID,
        })
        .then([
          {
            type: 'ControlCustomized',
            data: {
              controlId: CUSTOM_ID,
              controlSetId: SET_ID,
              changes: { description: 'Reviewed monthly with every customer.' },
              previous: { description: 'Account managers review uptime with each enterprise customer.' },
              divergesFromCatalog: true,
              customizedAt: T2,
              actor: priya,
            },
          },
        ]);
    });

    it('records a mapping given with repeats once per entry', () => {
      spec
        .given([adopted])
        .when(customize({ pointsOfFocus: ['CC1.1.1', 'CC1.1.1'] }))
        .then([
          {
            type: 'ControlCustomized',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              catalogControlId: 'GOV-01',
              changes: { pointsOfFocus: ['CC1.1.1'] },
              previous: { pointsOfFocus: ['CC1.1.1', 'CC1.1.2'] },
              divergesFromCatalog: true,
              customizedAt: T2,
              actor: priya,
            },
          },
        ]);
    });

    it('refuses an unknown control', () => {
      spec
        .given([])
        .when(customize({ name: 'x' }))
        .thenRefuses('control-not-found');
    });

    it('refuses customizing a not-applicable control', () => {
      spec
        .given([adopted, notApplicable])
        .when(customize({ name: 'x' }))
        .thenRefuses('control-not-applicable');
    });

    it('refuses changes that change nothing', () => {
      spec
        .given([adopted])
        .when(customize({ frequency: 'annual', criteria: ['CC1.1'] }))
        .thenRefuses('nothing-to-change');
    });

    it('refuses an unknown criterion', () => {
      spec
        .given([adopted])
        .when(customize({ criteria: ['CC1.1', 'CC1.9'] }))
        .thenRefuses('unknown-criterion');
    });

    it('refuses an unknown point of focus', () => {
      spec
        .given([adopted])
        .when(customize({ pointsOfFocus: ['CC1.1.9'] }))
        .thenRefuses('unknown-point-of-focus');
    });

    it('refuses a mapping whose points of focus fall outside its criteria', () => {
      spec
        .given([adopted])
        .when(customize({ criteria: ['CC1.2'] }))
        .thenRefuses('point-of-focus-outside-criteria');
    });

    it('refuses removing every criterion', () => {
      spec
        .given([adopted])
        .when(customize({ criteria: [], pointsOfFocus: [] }))
        .thenRefuses('criteria-required');
    });
  });

  describe('AssignControlOwner', () => {
    const assign = (owner = marcus): ControlCommand => ({
      type: 'AssignControlOwner',
      controlId: GOV01,
      owner,
      at: T1,
      actor: priya,
    });

    it('assigns a first owner', () => {
      spec
        .given([adopted])
        .when(assign())
        .then([
          {
            type: 'ControlOwnerAssigned',
            data: { controlId: GOV01, controlSetId: SET_ID, owner: marcus, assignedAt: T1, actor: priya },
          },
        ]);
    });

    it('names the previous owner when the owner changes', () => {
      const first: ControlEvent = {
        type: 'ControlOwnerAssigned',
        data: { controlId: GOV01, controlSetId: SET_ID, owner: marcus, assignedAt: T0, actor: priya },
      };
      spec
        .given([adopted, first])
        .when(assign(dana))
        .then([
          {
            type: 'ControlOwnerAssigned',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              owner: dana,
              previousOwner: marcus,
              assignedAt: T1,
              actor: priya,
            },
          },
        ]);
    });

    it('refuses assigning the current owner again', () => {
      const first: ControlEvent = {
        type: 'ControlOwnerAssigned',
        data: { controlId: GOV01, controlSetId: SET_ID, owner: marcus, assignedAt: T0, actor: priya },
      };
      spec.given([adopted, first]).when(assign()).thenRefuses('owner-unchanged');
    });

    it('refuses an unknown control', () => {
      spec.given([]).when(assign()).thenRefuses('control-not-found');
    });
  });

  describe('ChangeControlImplementation', () => {
    const changed = (
      from: ImplementationStatus,
      to: ImplementationStatus,
      extra: object = {},
    ): ControlEvent => ({
      type: 'ControlImplementationChanged',
      data: { controlId: GOV01, controlSetId: SET_ID, from, to, ...extra, changedAt: T2, actor: priya },
    });

    it('not-started → in-progress', () => {
      spec
        .given([adopted])
        .when(change('in-progress'))
        .then([changed('not-started', 'in-progress')]);
    });

    it('in-progress → implemented with the date it started operating and evidence, once it has an owner', () => {
      const evidenceReferences = [
        { kind: 'document' as const, title: 'Signed code of conduct', uri: 'https://docs.example/coc.pdf' },
      ];
      spec
        .given([adopted, owned, inProgress])
        .when(
          change('implemented', {
            implementedOn: '2026-03-01',
            notes: 'Signed by all staff',
            evidenceReferences,
          }),
        )
        .then([
          changed('in-progress', 'implemented', {
            implementedOn: '2026-03-01',
            notes: 'Signed by all staff',
            evidenceReferences,
          }),
        ]);
    });

    it('refuses implemented while nobody owns the control', () => {
      spec
        .given([adopted, inProgress])
        .when(change('implemented', { implementedOn: '2026-03-01' }))
        .thenRefuses('owner-required');
    });

    it('implemented → in-progress with a reason', () => {
      spec
        .given([adopted, inProgress, implemented])
        .when(change('in-progress', { notes: 'The annual attestation lapsed.' }))
        .then([changed('implemented', 'in-progress', { notes: 'The annual attestation lapsed.' })]);
    });

    it('in-progress → not-started with a reason', () => {
      spec
        .given([adopted, inProgress])
        .when(change('not-started', { notes: 'Deferred to next quarter.' }))
        .then([changed('in-progress', 'not-started', { notes: 'Deferred to next quarter.' })]);
    });

    it('refuses going back without a reason', () => {
      spec
        .given([adopted, inProgress, implemented])
        .when(change('in-progress'))
        .thenRefuses('reason-required');
    });

    it('refuses skipping in-progress', () => {
      spec
        .given([adopted])
        .when(change('implemented', { implementedOn: '2026-03-01' }))
        .thenRefuses('invalid-transition');
    });

    it('refuses implemented → not-started', () => {
      spec
        .given([adopted, inProgress, implemented])
        .when(change('not-started', { notes: 'x' }))
        .thenRefuses('invalid-transition');
    });

    it('refuses the status it already has', () => {
      spec.given([adopted, inProgress]).when(change('in-progress')).thenRefuses('status-unchanged');
    });

    it('refuses implemented without implementedOn', () => {
      spec
        .given([adopted, owned, inProgress])
        .when(change('implemented'))
        .thenRefuses('implemented-on-required');
    });

    it('refuses an implementedOn after the change', () => {
      spec
        .given([adopted, owned, inProgress])
        .when(change('implemented', { implementedOn: '2026-03-09' }))
        .thenRefuses('implemented-on-in-future');
    });

    it('refuses implementedOn for another status', () => {
      spec
        .given([adopted])
        .when(change('in-progress', { implementedOn: '2026-03-01' }))
        .thenRefuses('implemented-on-not-allowed');
    });

    it('refuses any status change of a not-applicable control', () => {
      spec.given([adopted, notApplicable]).when(change('in-progress')).thenRefuses('control-not-applicable');
    });

    it('refuses an unknown control', () => {
      spec.given([]).when(change('in-progress')).thenRefuses('control-not-found');
    });
  });

  describe('MarkControlNotApplicable', () => {
    const mark = (justification: string, approvedBy?: typeof dana): ControlCommand => ({
      type: 'MarkControlNotApplicable',
      controlId: GOV01,
      justification,
      ...(approvedBy ? { approvedBy } : {}),
      at: T1,
      actor: priya,
    });

    it('marks the control not applicable with the justification and approver', () => {
      spec
        .given([adopted])
        .when(mark('No board: the founders run the company directly.', dana))
        .then([
          {
            type: 'ControlMarkedNotApplicable',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              catalogControlId: 'GOV-01',
              justification: 'No board: the founders run the company directly.',
              approvedBy: dana,
              markedAt: T1,
              actor: priya,
            },
          },
        ]);
    });

    it('refuses a blank justification', () => {
      spec.given([adopted]).when(mark('   ')).thenRefuses('justification-required');
    });

    it('refuses marking twice', () => {
      spec.given([adopted, notApplicable]).when(mark('again')).thenRefuses('already-not-applicable');
    });

    it('refuses an unknown control', () => {
      spec.given([]).when(mark('x')).thenRefuses('control-not-found');
    });
  });

  describe('RevokeControlNotApplicable', () => {
    const revoke = (reason: string): ControlCommand => ({
      type: 'RevokeControlNotApplicable',
      controlId: GOV01,
      reason,
      at: T2,
      actor: priya,
    });
    const revoked: ControlEvent = {
      type: 'ControlNotApplicableRevoked',
      data: {
        controlId: GOV01,
        controlSetId: SET_ID,
        catalogControlId: 'GOV-01',
        reason: 'A board was appointed in March.',
        revokedAt: T2,
        actor: priya,
      },
    };

    it('revokes the decision with the reason', () => {
      spec.given([adopted, notApplicable]).when(revoke('A board was appointed in March.')).then([revoked]);
    });

    it('makes the control applicable again: it can change and be marked not applicable once more', () => {
      const state = foldEvents(decider, [adopted, notApplicable, revoked]) as ExistingControl;
      expect(state.notApplicable).toBeUndefined();
      spec
        .given([adopted, notApplicable, revoked])
        .when(change('in-progress'))
        .then([
          {
            type: 'ControlImplementationChanged',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              from: 'not-started',
              to: 'in-progress',
              changedAt: T2,
              actor: priya,
            },
          },
        ]);
      expect(
        decider.decide(
          {
            type: 'MarkControlNotApplicable',
            controlId: GOV01,
            justification: 'Board dissolved.',
            at: T2,
            actor: priya,
          },
          state,
        ),
      ).toHaveLength(1);
    });

    it('refuses a control that applies', () => {
      spec.given([adopted]).when(revoke('It applies.')).thenRefuses('control-applicable');
    });

    it('refuses a blank reason', () => {
      spec.given([adopted, notApplicable]).when(revoke('  ')).thenRefuses('reason-required');
    });

    it('refuses an unknown control', () => {
      spec.given([]).when(revoke('x')).thenRefuses('control-not-found');
    });
  });

  describe('RecordRemediationProgress (reaction to readiness)', () => {
    const TASK = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    const progress: ControlCommand = {
      type: 'RecordRemediationProgress',
      controlId: GOV01,
      taskId: TASK,
      resolution: 'remediated',
      at: T2,
      actor: { type: 'system', id: 'system:readiness', displayName: 'Readiness remediation' },
    };

    it('moves a not-started control to in-progress as system:readiness', () => {
      spec
        .given([adopted])
        .when(progress)
        .then([
          {
            type: 'ControlImplementationChanged',
            data: {
              controlId: GOV01,
              controlSetId: SET_ID,
              from: 'not-started',
              to: 'in-progress',
              notes: `Remediation task ${TASK} was completed in readiness (remediated); implementation of this control is in progress until someone confirms it is implemented.`,
              changedAt: T2,
              actor: { type: 'system', id: 'system:readiness', displayName: 'Readiness remediation' },
            },
          },
        ]);
    });

    it('does nothing to a control already in progress, implemented or not applicable', () => {
      spec.given([adopted, inProgress]).when(progress).then([]);
      spec.given([adopted, inProgress, implemented]).when(progress).then([]);
      spec.given([adopted, notApplicable]).when(progress).then([]);
    });

    it('refuses an unknown control', () => {
      spec.given([]).when(progress).thenRefuses('control-not-found');
    });
  });
});
