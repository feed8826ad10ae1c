import { BUNDLE_ID, checkedSpec, ITEM_ID, pdf, priya } from './decider-test-support';
import { evidenceBundleDecider, type IssueEvidenceBundle } from './evidence-bundle-decider';
import type { EvidenceBundleIssued } from './evidence-events';

const spec = checkedSpec(evidenceBundleDecider, BUNDLE_ID);
const ISSUED_AT = '2026-07-15T10:00:00.000Z';
const checkpoint = { tenantSequence: 1042, globalPosition: 88231, headHash: 'c'.repeat(64) };

const issue = (overrides: Partial<IssueEvidenceBundle> = {}): IssueEvidenceBundle => ({
  type: 'IssueEvidenceBundle',
  bundleId: BUNDLE_ID,
  selection: { tags: ['q1-2026', 'q1-2026'], itemIds: [] },
  items: [{ itemId: ITEM_ID, version: 1, sha256: pdf.sha256 }],
  envelopeSha256: 'd'.repeat(64),
  keyId: 'attest-dev-1',
  checkpoint,
  at: ISSUED_AT,
  actor: priya,
  ...overrides,
});

const issued: EvidenceBundleIssued = {
  type: 'EvidenceBundleIssued',
  data: {
    bundleId: BUNDLE_ID,
    selection: { tags: ['q1-2026'] },
    items: [{ itemId: ITEM_ID, version: 1, sha256: pdf.sha256 }],
    envelopeSha256: 'd'.repeat(64),
    keyId: 'attest-dev-1',
    checkpoint,
    issuedAt: ISSUED_AT,
    actor: priya,
  },
};

describe('evidence bundles', () => {
  it('records the bundle with the selection parts that select something, its items, envelope hash and checkpoint', () => {
    spec.given([]).when(issue()).then([issued]);
  });

  it('refuses a selection that matches no evidence', () => {
    spec
      .given([])
      .when(issue({ items: [] }))
      .thenRefuses('empty-bundle');
  });

  it('refuses to issue the same bundle twice', () => {
    spec.given([issued]).when(issue()).thenRefuses('evidence-bundle-exists');
  });
});
