import { foldEvents } from '@attest/decider';
import { controlDecider, type ExistingControl } from './control-decider';
import type { ControlAdopted, ControlEvent, ControlSetEvent } from './control-events';
import { controlSetDecider, type ControlSetCommand } from './control-set-decider';
import { catalogs, checkedSpec, CUSTOM_ID, priya, SET_ID, T0, T1, T2 } from './decider-test-support';
import { adoptedControlIdFor } from './ids';

const decider = controlSetDecider(catalogs);
const spec = checkedSpec(decider);

const created = (
  categories = ['security', 'availability'],
  criteria = ['CC1.1', 'CC1.2', 'A1.1'],
): ControlSetEvent => ({
  type: 'ControlSetCreated',
  data: {
    controlSetId: SET_ID,
    name: 'SOC 2 control set',
    categories: categories as never,
    criteria,
    catalogVersion: '1.0.0',
    createdAt: T0,
    actor: priya,
  },
});

const template: Record<string, { criteria: string[]; pointsOfFocus: string[]; ownerRole: string }> = {
  'GOV-01': { criteria: ['CC1.1'], pointsOfFocus: ['CC1.1.1', 'CC1.1.2'], ownerRole: 'ceo' },
  'GOV-02': {
    criteria: ['CC1.1', 'CC1.2'],
    pointsOfFocus: ['CC1.1.2', 'CC1.2.1'],
    ownerRole: 'board-of-directors',
  },
  'AVL-01': { criteria: ['A1.1'], pointsOfFocus: ['A1.1.1', 'A1.1.2'], ownerRole: 'devops-lead' },
  'PRV-01': { criteria: ['P1.1'], pointsOfFocus: ['P1.1.1'], ownerRole: 'privacy-officer' },
};

const id = (catalogControlId: string) => adoptedControlIdFor(SET_ID, catalogControlId);

const adopted = (catalogControlId: string, at = T1): ControlAdopted => ({
  type: 'ControlAdopted',
  data: {
    controlId: id(catalogControlId),
    controlSetId: SET_ID,
    catalogControlId,
    catalogVersion: '1.0.0',
    code: catalogControlId,
    name: `${catalogControlId} name`,
    controlType: 'preventive',
    nature: 'manual',
    frequency: 'annual',
    criteria: template[catalogControlId].criteria,
    pointsOfFocus: template[catalogControlId].pointsOfFocus,
    ownerRole: template[catalogControlId].ownerRole,
    adoptedAt: at,
    actor: priya,
  },
});

const joined = (catalogControlIds: string[], at = T1): ControlSetEvent => ({
  type: 'ControlsJoinedSet',
  data: {
    controlSetId: SET_ID,
    controls: catalogControlIds.map((c) => ({ controlId: id(c), code: c, catalogControlId: c })),
    joinedAt: at,
    actor: priya,
  },
});

const adopt = (
  selection: Extract<ControlSetCommand, { type: 'AdoptControls' }>['selection'],
): ControlSetCommand => ({
  type: 'AdoptControls',
  controlSetId: SET_ID,
  selection,
  at: T1,
  actor: priya,
});

const custom = (
  overrides: Partial<Extract<ControlSetCommand, { type: 'AddCustomControl' }>> = {},
): ControlSetCommand => ({
  type: 'AddCustomControl',
  controlSetId: SET_ID,
  controlId: CUSTOM_ID,
  code: 'LUM-01',
  name: 'Uptime reviewed with customers',
  description: 'Account managers review uptime with each enterprise customer every quarter.',
  controlType: 'detective',
  nature: 'manual',
  frequency: 'quarterly',
  criteria: ['A1.1'],
  pointsOfFocus: ['A1.1.2'],
  ownerRole: 'customer-support-lead',
  at: T1,
  actor: priya,
  ...overrides,
});

describe('control set decider', () => {
  describe('CreateControlSet', () => {
    const create = (categories: string[], catalogVersion = '1.0.0'): ControlSetCommand => ({
      type: 'CreateControlSet',
      controlSetId: SET_ID,
      categories,
      catalogVersion,
      at: T0,
      actor: priya,
    });

    it('creates the set for the scope (security always included) and catalog version', () => {
      spec
        .given([])
        .when(create(['availability']))
        .then([created()]);
    });

    it('refuses a second control set for the organization', () => {
      spec
        .given([created()])
        .when(create(['availability']))
        .thenRefuses('control-set-exists');
    });

    it('refuses an unknown catalog version', () => {
      spec.given([]).when(create([], '9.9.9')).thenRefuses('unknown-catalog-version');
    });

    it('refuses an unknown category', () => {
      spec
        .given([])
        .when(create(['availability', 'secrecy']))
        .thenRefuses('unknown-category');
    });
  });

  describe('AdoptControls', () => {
    it('adopts every catalog control for the scope, with the catalog version each came from', () => {
      spec
        .given([created()])
        .when(adopt({ mode: 'scope' }))
        .then([
          joined(['AVL-01', 'GOV-01', 'GOV-02']),
          adopted('AVL-01'),
          adopted('GOV-01'),
          adopted('GOV-02'),
        ]);
    });

    it('adopts only the scope controls not adopted yet', () => {
      spec
        .given([created(), joined(['GOV-01'], T0)])
        .when(adopt({ mode: 'scope' }))
        .then([joined(['AVL-01', 'GOV-02']), adopted('AVL-01'), adopted('GOV-02')]);
    });

    it('adopts picked controls once each', () => {
      spec
        .given([created()])
        .when(adopt({ mode: 'picked', catalogControlIds: ['GOV-02', 'GOV-01', 'GOV-02'] }))
        .then([joined(['GOV-01', 'GOV-02']), adopted('GOV-01'), adopted('GOV-02')]);
    });

    it('refuses without a control set', () => {
      spec
        .given([])
        .when(adopt({ mode: 'scope' }))
        .thenRefuses('control-set-not-found');
    });

    it('refuses when every scope control is already adopted', () => {
      spec
        .given([created(), joined(['AVL-01', 'GOV-01', 'GOV-02'])])
        .when(adopt({ mode: 'scope' }))
        .thenRefuses('nothing-to-adopt');
    });

    it('refuses an empty pick', () => {
      spec
        .given([created()])
        .when(adopt({ mode: 'picked', catalogControlIds: [] }))
        .thenRefuses('nothing-to-adopt');
    });

    it('refuses a control the catalog version does not have', () => {
      const err = spec
        .given([created()])
        .when(adopt({ mode: 'picked', catalogControlIds: ['GOV-01', 'GOV-03'] }))
        .thenRefuses('unknown-catalog-control');
      expect(err.details).toEqual({ catalogControlIds: ['GOV-03'], catalogVersion: '1.0.0' });
    });

    it('refuses adopting a control twice', () => {
      const err = spec
        .given([created(), joined(['GOV-01'])])
        .when(adopt({ mode: 'picked', catalogControlIds: ['GOV-01', 'GOV-02'] }))
        .thenRefuses('already-adopted');
      expect(err.details).toEqual({ catalogControlIds: ['GOV-01'], controlIds: [id('GOV-01')] });
    });

    it('refuses a control that maps to no criterion in scope', () => {
      spec
        .given([created()])
        .when(adopt({ mode: 'picked', catalogControlIds: ['PRV-01'] }))
        .thenRefuses('control-out-of-scope');
    });
  });

  describe('AddCustomControl', () => {
    it('adds a custom control mapped to criteria and points of focus', () => {
      spec
        .given([created()])
        .when(custom())
        .then([
          {
            type: 'ControlsJoinedSet',
            data: {
              controlSetId: SET_ID,
              controls: [{ controlId: CUSTOM_ID, code: 'LUM-01' }],
              joinedAt: T1,
              actor: priya,
            },
          },
          {
            type: 'CustomControlAdded',
            data: {
              controlId: CUSTOM_ID,
              controlSetId: SET_ID,
              code: 'LUM-01',
              name: 'Uptime reviewed with customers',
              description: 'Account managers review uptime with each enterprise customer every quarter.',
              controlType: 'detective',
              nature: 'manual',
              frequency: 'quarterly',
              criteria: ['A1.1'],
              pointsOfFocus: ['A1.1.2'],
              ownerRole: 'customer-support-lead',
              addedAt: T1,
              actor: priya,
            },
          },
        ]);
    });

    it('keeps each criterion and point of focus once when they are given with repeats', () => {
      const state = foldEvents(decider, [created()]);
      const repeated = custom({ criteria: ['A1.1', 'A1.1'], pointsOfFocus: ['A1.1.2', 'A1.1.2'] });
      expect(decider.decide(repeated, state)).toEqual(decider.decide(custom(), state));
    });

    it('refuses without a control set', () => {
      spec.given([]).when(custom()).thenRefuses('control-set-not-found');
    });

    it('refuses a control id already in the set', () => {
      spec
        .given([created(), joined(['GOV-01'])])
        .when(custom({ controlId: id('GOV-01') }))
        .thenRefuses('control-id-taken');
    });

    it('refuses a code already used in the set (case-insensitive)', () => {
      const other = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
      spec
        .given([
          created(),
          {
            type: 'ControlsJoinedSet',
            data: { controlSetId: SET_ID, controls: [{ controlId: other, code: 'LUM-01' }], joinedAt: T0 },
          },
        ])
        .when(custom({ code: 'lum-01' }))
        .thenRefuses('code-taken');
    });

    it('refuses a code that is a catalog control id', () => {
      spec
        .given([created()])
        .when(custom({ code: 'gov-03' }))
        .thenRefuses('code-reserved-by-catalog');
    });

    it('refuses an unknown criterion', () => {
      spec
        .given([created()])
        .when(custom({ criteria: ['A1.1', 'CC9.9'] }))
        .thenRefuses('unknown-criterion');
    });

    it('refuses an unknown point of focus', () => {
      spec
        .given([created()])
        .when(custom({ pointsOfFocus: ['A1.1.7'] }))
        .thenRefuses('unknown-point-of-focus');
    });

    it('refuses a point of focus of a criterion the control is not mapped to', () => {
      spec
        .given([created()])
        .when(custom({ pointsOfFocus: ['A1.1.2', 'CC1.2.1'] }))
        .thenRefuses('point-of-focus-outside-criteria');
    });

    it('refuses a control without criteria', () => {
      spec
        .given([created()])
        .when(custom({ criteria: [], pointsOfFocus: [] }))
        .thenRefuses('criteria-required');
    });
  });

  describe('points of focus explained as not applicable', () => {
    const mark = (pointOfFocusRef: string, justification: string): ControlSetCommand => ({
      type: 'MarkPointOfFocusNotApplicable',
      controlSetId: SET_ID,
      pointOfFocusRef,
      justification,
      at: T1,
      actor: priya,
    });
    const revoke = (pointOfFocusRef: string): ControlSetCommand => ({
      type: 'RevokePointOfFocusNotApplicable',
      controlSetId: SET_ID,
      pointOfFocusRef,
      at: T2,
      actor: priya,
    });
    const marked = (justification: string): ControlSetEvent => ({
      type: 'PointOfFocusMarkedNotApplicable',
      data: {
        controlSetId: SET_ID,
        pointOfFocusRef: 'CC1.1.3',
        criterionId: 'CC1.1',
        justification,
        markedAt: T1,
        actor: priya,
      },
    });
    const revoked: ControlSetEvent = {
      type: 'PointOfFocusNotApplicableRevoked',
      data: {
        controlSetId: SET_ID,
        pointOfFocusRef: 'CC1.1.3',
        criterionId: 'CC1.1',
        revokedAt: T2,
        actor: priya,
      },
    };

    it('records the explanation with the criterion it belongs to, and keeps it in the state', () => {
      spec
        .given([created()])
        .when(mark('CC1.1.3', 'No board.'))
        .then([marked('No board.')]);
      expect(foldEvents(decider, [created(), marked('No board.')])).toMatchObject({
        pointsOfFocusNotApplicable: {
          'CC1.1.3': { criterionId: 'CC1.1', justification: 'No board.', markedAt: T1 },
        },
      });
    });

    it('replaces the explanation with another justification; the same one again changes nothing', () => {
      spec
        .given([created(), marked('No board.')])
        .when(mark('CC1.1.3', 'Founders only.'))
        .then([marked('Founders only.')]);
      spec
        .given([created(), marked('No board.')])
        .when(mark('CC1.1.3', 'No board.'))
        .then([]);
    });

    it('revokes it: the point of focus needs a control again', () => {
      spec
        .given([created(), marked('No board.')])
        .when(revoke('CC1.1.3'))
        .then([revoked]);
      expect(foldEvents(decider, [created(), marked('No board.'), revoked])).toMatchObject({
        pointsOfFocusNotApplicable: {},
      });
    });

    it('refuses revoking what is not explained', () => {
      spec.given([created()]).when(revoke('CC1.1.3')).thenRefuses('point-of-focus-applicable');
      spec
        .given([created(), marked('x'), revoked])
        .when(revoke('CC1.1.3'))
        .thenRefuses('point-of-focus-applicable');
    });

    it('refuses a blank justification, an unknown point of focus and one outside the scope', () => {
      spec.given([created()]).when(mark('CC1.1.3', '  ')).thenRefuses('justification-required');
      spec.given([created()]).when(mark('CC1.1.9', 'x')).thenRefuses('unknown-point-of-focus');
      spec.given([created()]).when(mark('P1.1.1', 'x')).thenRefuses('point-of-focus-out-of-scope');
    });

    it('refuses without a control set', () => {
      spec.given([]).when(mark('CC1.1.3', 'x')).thenRefuses('control-set-not-found');
      spec.given([]).when(revoke('CC1.1.3')).thenRefuses('control-set-not-found');
    });
  });

  describe('UpgradeCatalog', () => {
    const history: ControlSetEvent[] = [
      created(['privacy'], ['CC1.1', 'CC1.2', 'P1.1']),
      joined(['GOV-01', 'GOV-02', 'PRV-01']),
    ];
    const controls = (customizeGov02: boolean): ExistingControl[] =>
      ['GOV-01', 'GOV-02', 'PRV-01'].map((c) => {
        const events: ControlEvent[] = [adopted(c)];
        if (c === 'GOV-02' && customizeGov02)
          events.push({
            type: 'ControlCustomized',
            data: {
              controlId: id(c),
              controlSetId: SET_ID,
              catalogControlId: c,
              changes: { frequency: 'quarterly' },
              previous: { frequency: 'annual' },
              divergesFromCatalog: true,
              customizedAt: T1,
              actor: priya,
            },
          });
        return foldEvents(controlDecider(catalogs), events) as ExistingControl;
      });
    const upgrade = (toVersion: string, customizeGov02 = true): ControlSetCommand => ({
      type: 'UpgradeCatalog',
      controlSetId: SET_ID,
      toVersion,
      controls: controls(customizeGov02),
      at: T2,
      actor: priya,
    });

    it('moves controls that follow their template, flags customized ones and lists new and retired templates', () => {
      spec
        .given(history)
        .when(upgrade('2.0.0'))
        .then([
          {
            type: 'ControlCatalogUpgraded',
            data: {
              controlSetId: SET_ID,
              fromVersion: '1.0.0',
              toVersion: '2.0.0',
              updatedControls: [
                {
                  controlId: id('GOV-01'),
                  catalogControlId: 'GOV-01',
                  changedAspects: ['frequency'],
                  appliedAutomatically: true,
                },
                {
                  controlId: id('GOV-02'),
                  catalogControlId: 'GOV-02',
                  changedAspects: ['name'],
                  appliedAutomatically: false,
                },
              ],
              newCatalogControlIds: ['GOV-03'],
              retiredCatalogControlIds: ['PRV-01'],
              upgradedAt: T2,
              actor: priya,
            },
          },
          {
            type: 'ControlTemplateUpgraded',
            data: {
              controlId: id('GOV-01'),
              controlSetId: SET_ID,
              catalogControlId: 'GOV-01',
              fromVersion: '1.0.0',
              toVersion: '2.0.0',
              upgradedAt: T2,
              actor: priya,
            },
          },
        ]);
    });

    it('after the upgrade the set is on the new version', () => {
      const events = decider.decide(upgrade('2.0.0', false), foldEvents(decider, history));
      const state = foldEvents(decider, [...history, ...events]);
      expect(state).toMatchObject({ kind: 'control-set', catalogVersion: '2.0.0' });
      expect(events.filter((e) => e.type === 'ControlTemplateUpgraded')).toHaveLength(2);
    });

    it('refuses without a control set', () => {
      spec.given([]).when(upgrade('2.0.0')).thenRefuses('control-set-not-found');
    });

    it('refuses an unknown catalog version', () => {
      spec.given(history).when(upgrade('3.0.0')).thenRefuses('unknown-catalog-version');
    });

    it('refuses a version that is not newer', () => {
      spec.given(history).when(upgrade('1.0.0')).thenRefuses('catalog-version-not-newer');
    });

    it('needs the state of every adopted control (a programming error, not a refusal)', () => {
      expect(() =>
        decider.decide(
          { ...(upgrade('2.0.0') as Extract<ControlSetCommand, { type: 'UpgradeCatalog' }>), controls: [] },
          foldEvents(decider, history),
        ),
      ).toThrow(TypeError);
    });
  });
});
