import { foldEvents } from '@attest/decider';
import { planCatalogUpgrade } from './catalog-upgrade';
import { controlDecider, type ExistingControl } from './control-decider';
import type { ControlEvent } from './control-events';
import { catalogs, priya, SET_ID, T0, T1 } from './decider-test-support';
import { exampleCatalogV1 } from './example-catalogs';
import { adoptedControlIdFor } from './ids';

const control = (catalogControlId: string, extra: ControlEvent[] = []): ExistingControl => {
  const t = exampleCatalogV1().controls.find((c) => c.id === catalogControlId)!;
  return foldEvents(controlDecider(catalogs), [
    {
      type: 'ControlAdopted',
      data: {
        controlId: adoptedControlIdFor(SET_ID, catalogControlId),
        controlSetId: SET_ID,
        catalogControlId,
        catalogVersion: '1.0.0',
        code: catalogControlId,
        name: t.name,
        controlType: t.type,
        nature: t.nature,
        frequency: t.frequency,
        criteria: t.criteria,
        pointsOfFocus: t.pointsOfFocus,
        ownerRole: t.ownerRole,
        adoptedAt: T0,
        actor: priya,
      },
    },
    ...extra,
  ]) as ExistingControl;
};

describe('planCatalogUpgrade (the upgrade diff offered before applying)', () => {
  it('lists what changes for each adopted control and whether it would apply automatically', () => {
    const gov01 = control('GOV-01', [
      {
        type: 'ControlOwnerRoleChanged',
        data: {
          controlId: adoptedControlIdFor(SET_ID, 'GOV-01'),
          controlSetId: SET_ID,
          ownerRole: 'hr-lead',
          previousOwnerRole: 'ceo',
          changedAt: T1,
          actor: priya,
        },
      },
    ]);
    const plan = planCatalogUpgrade(
      { controlSetId: SET_ID, catalogVersion: '1.0.0' },
      [gov01, control('GOV-02'), control('AVL-01'), control('PRV-01')],
      catalogs,
      '2.0.0',
    );
    expect(plan.diff.from).toBe('1.0.0');
    expect(plan.updates).toEqual([
      {
        controlId: adoptedControlIdFor(SET_ID, 'GOV-01'),
        catalogControlId: 'GOV-01',
        code: 'GOV-01',
        changedFields: ['frequency'],
        changedAspects: ['frequency'],
        customizedFields: ['ownerRole'],
        appliedAutomatically: false,
      },
      {
        controlId: adoptedControlIdFor(SET_ID, 'GOV-02'),
        catalogControlId: 'GOV-02',
        code: 'GOV-02',
        changedFields: ['name'],
        changedAspects: ['name'],
        customizedFields: [],
        appliedAutomatically: true,
      },
    ]);
    expect(plan.newCatalogControlIds).toEqual(['GOV-03']);
    expect(plan.retiredCatalogControlIds).toEqual(['PRV-01']);
    expect(plan.retiredAdoptedControls).toEqual([
      { controlId: adoptedControlIdFor(SET_ID, 'PRV-01'), catalogControlId: 'PRV-01', code: 'PRV-01' },
    ]);
  });
});
