import { CatalogVersions } from './catalog-versions';
import type { ControlEvent } from './control-events';
import { applyCatalogUpgradeToView, evolveControlView, type ControlView } from './control-view';
import { catalogs, marcus, priya, SET_ID, T0, T1, T2 } from './decider-test-support';
import { exampleCatalogV2 } from './example-catalogs';
import { adoptedControlIdFor } from './ids';

const ID = adoptedControlIdFor(SET_ID, 'GOV-01');
const base = { controlId: ID, controlSetId: SET_ID };
const events: ControlEvent[] = [
  {
    type: 'ControlAdopted',
    data: {
      ...base,
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
  },
  { type: 'ControlOwnerAssigned', data: { ...base, owner: marcus, assignedAt: T1, actor: priya } },
  {
    type: 'ControlCustomized',
    data: {
      ...base,
      catalogControlId: 'GOV-01',
      changes: { frequency: 'monthly' },
      previous: { frequency: 'annual' },
      divergesFromCatalog: true,
      customizedAt: T1,
      actor: priya,
    },
  },
  {
    type: 'ControlImplementationChanged',
    data: { ...base, from: 'not-started', to: 'in-progress', changedAt: T2, actor: priya },
  },
];

const fold = (list: ControlEvent[], registry = catalogs) =>
  list.reduce<ControlView | undefined>((view, e) => evolveControlView(view, e, registry), undefined)!;

describe('control read model', () => {
  it('folds a control’s events', () => {
    expect(fold(events)).toEqual({
      controlId: ID,
      controlSetId: SET_ID,
      origin: 'catalog',
      catalogControlId: 'GOV-01',
      adoptedFromVersion: '1.0.0',
      templateVersion: '1.0.0',
      code: 'GOV-01',
      name: 'GOV-01 name',
      description: 'What the company does for GOV-01.',
      controlType: 'preventive',
      nature: 'manual',
      frequency: 'monthly',
      criteria: ['CC1.1'],
      pointsOfFocus: ['CC1.1.1', 'CC1.1.2'],
      ownerRole: 'ceo',
      owner: marcus,
      implementation: { status: 'in-progress', changedAt: T2 },
      applicability: { status: 'applicable' },
      customizedFields: ['frequency'],
      createdAt: T0,
      updatedAt: T2,
    });
  });

  it('records not-applicable with its justification', () => {
    const view = fold([
      ...events,
      {
        type: 'ControlMarkedNotApplicable',
        data: { ...base, catalogControlId: 'GOV-01', justification: 'No board.', markedAt: T2, actor: priya },
      },
    ]);
    expect(view.applicability).toEqual({
      status: 'not-applicable',
      justification: 'No board.',
      markedAt: T2,
    });
  });

  it('is applicable again once the decision is revoked', () => {
    const view = fold([
      ...events,
      {
        type: 'ControlMarkedNotApplicable',
        data: { ...base, catalogControlId: 'GOV-01', justification: 'No board.', markedAt: T1, actor: priya },
      },
      {
        type: 'ControlNotApplicableRevoked',
        data: { ...base, catalogControlId: 'GOV-01', reason: 'A board now.', revokedAt: T2, actor: priya },
      },
    ]);
    expect(view).toMatchObject({ applicability: { status: 'applicable' }, updatedAt: T2 });
  });

  it('flags a customized control for review and marks retired templates after an upgrade', () => {
    const view = applyCatalogUpgradeToView(fold(events), {
      controlSetId: SET_ID,
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      updatedControls: [
        {
          controlId: ID,
          catalogControlId: 'GOV-01',
          changedAspects: ['frequency'],
          appliedAutomatically: false,
        },
      ],
      newCatalogControlIds: [],
      retiredCatalogControlIds: ['GOV-01'],
      upgradedAt: T2,
      actor: priya,
    });
    expect(view.pendingTemplateReview).toEqual({
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      changedAspects: ['frequency'],
    });
    expect(view.retiredFromCatalogIn).toBe('2.0.0');
  });

  it('a template upgrade moves an uncustomized control to the new template and clears a review', () => {
    const view = fold([
      events[0],
      {
        type: 'ControlTemplateUpgraded',
        data: {
          ...base,
          catalogControlId: 'GOV-01',
          fromVersion: '1.0.0',
          toVersion: '2.0.0',
          upgradedAt: T2,
          actor: priya,
        },
      },
    ]);
    expect(view).toMatchObject({
      templateVersion: '2.0.0',
      frequency: 'quarterly',
      customizedFields: [],
      adoptedFromVersion: '1.0.0',
    });
  });

  it('keeps the adopted name as description when the catalog version is not known here', () => {
    expect(fold([events[0]], new CatalogVersions([exampleCatalogV2()])).description).toBe('GOV-01 name');
  });

  it('ignores events before the control exists', () => {
    expect(evolveControlView(undefined, events[1], catalogs)).toBeUndefined();
  });
});
