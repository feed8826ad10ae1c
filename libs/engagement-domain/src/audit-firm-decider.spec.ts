import { auditFirmDecider, type AuditFirmCommand } from './audit-firm-decider';
import { checkedSpec, FIRM, lead, priya, staff, T0, T1 } from './decider-test-support';
import { DEFAULT_SAMPLE_SIZES, type AuditFirmRegistered, type SampleSizeTable } from './engagement-events';

const spec = checkedSpec(auditFirmDecider, FIRM);

const register: AuditFirmCommand = {
  type: 'RegisterAuditFirm',
  firmId: FIRM,
  name: ' Whitfield & Partners CPAs ',
  at: T0,
  actor: priya,
};
const registered: AuditFirmRegistered = {
  type: 'AuditFirmRegistered',
  data: {
    firmId: FIRM,
    name: 'Whitfield & Partners CPAs',
    sampleSizeTable: DEFAULT_SAMPLE_SIZES,
    registeredAt: T0,
    actor: priya,
  },
};
const add = (auditor = lead, email = auditor.email): AuditFirmCommand => ({
  type: 'AddFirmAuditor',
  firmId: FIRM,
  auditorId: auditor.auditorId,
  email,
  name: auditor.name,
  role: auditor.role,
  at: T1,
  actor: priya,
});
const added = (auditor = lead) => ({
  type: 'FirmAuditorAdded' as const,
  data: { firmId: FIRM, auditor, addedAt: T1, actor: priya },
});
const bands: SampleSizeTable = {
  basis: 'population',
  bands: [
    { upTo: 50, count: 5 },
    { upTo: null, share: 0.1 },
  ],
  testInFullAtOrBelow: 10,
};
const setTable = (sampleSizeTable: SampleSizeTable): AuditFirmCommand => ({
  type: 'SetSampleSizeTable',
  firmId: FIRM,
  sampleSizeTable,
  at: T1,
  actor: priya,
});

describe('audit firms', () => {
  it('registers a firm with the default sample sizes (annual 1 … many times a day 40, ≤ 10 in full)', () => {
    spec.given([]).when(register).then([registered]);
    expect(DEFAULT_SAMPLE_SIZES).toEqual({
      basis: 'frequency',
      sizes: {
        annual: 1,
        'semi-annual': 1,
        quarterly: 2,
        monthly: 2,
        weekly: 5,
        daily: 25,
        continuous: 40,
        'per-event': 40,
      },
      testInFullAtOrBelow: 10,
    });
    spec.given([registered]).when(register).thenRefuses('firm-exists');
    spec
      .given([])
      .when({ ...register, name: ' ' })
      .thenRefuses('text-required');
  });

  it('registers a firm with its own table, and refuses a table that cannot size a sample', () => {
    spec
      .given([])
      .when({ ...register, sampleSizeTable: bands })
      .then([{ ...registered, data: { ...registered.data, sampleSizeTable: bands } }]);
    const open: SampleSizeTable = { ...bands, bands: [{ upTo: 50, count: 5 }] };
    const err = spec
      .given([])
      .when({ ...register, sampleSizeTable: open })
      .thenRefuses('invalid-sample-size-table');
    expect(err.details['problems']).toEqual(['bands[0].upTo must be null: the last band has no upper bound']);
  });

  it('lists auditors by lower-cased e-mail, each once; a retried add changes nothing', () => {
    spec.given([registered]).when(add(lead, ' Dana@CPA.example ')).then([added()]);
    spec.given([registered, added()]).when(add()).then([]);
    spec
      .given([registered, added()])
      .when(add({ ...staff, email: lead.email }))
      .thenRefuses('auditor-exists');
    spec
      .given([registered, added()])
      .when(add({ ...staff, auditorId: lead.auditorId }))
      .thenRefuses('auditor-exists');
    spec
      .given([registered, added()])
      .when(add(staff))
      .then([added(staff)]);
    spec.given([registered]).when(add(lead, 'dana at cpa')).thenRefuses('invalid-email');
  });

  it('sets a new table, ignores the same one, and refuses a firm the organization has not registered', () => {
    spec
      .given([registered])
      .when(setTable(bands))
      .then([
        {
          type: 'SampleSizeTableSet',
          data: { firmId: FIRM, sampleSizeTable: bands, setAt: T1, actor: priya },
        },
      ]);
    spec.given([registered]).when(setTable(DEFAULT_SAMPLE_SIZES)).then([]);
    spec
      .given([registered])
      .when(setTable({ ...DEFAULT_SAMPLE_SIZES, sizes: { ...DEFAULT_SAMPLE_SIZES.sizes, daily: 0 } }))
      .thenRefuses('invalid-sample-size-table');
    spec.given([]).when(setTable(bands)).thenRefuses('firm-not-found');
    spec.given([]).when(add()).thenRefuses('firm-not-found');
  });
});
