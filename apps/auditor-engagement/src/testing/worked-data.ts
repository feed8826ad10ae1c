// Worked data for the engagement's end-to-end and access specs: what the other services of a SaaS company tell the
// auditor-engagement service over half a year, as their outbox relays would publish it (contract-valid events, each
// checked against its schema by contractExample).
import { createHash, randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { controlById, type EvidenceType, type Frequency } from '@attest/catalog';
import { messagingOf, type EncodedRecord } from '@attest/messaging';
import { contractExample, freshName, freshTopic, publishedRecord, waitFor } from '@attest/messaging/testing';
import type { EngagementMessagingOptions } from '../engagement-options';

/** The Type II window the data covers (six months: no window warning), and the Type I as-of date (its last day). */
export const WORKED_WINDOW = { from: '2026-01-01', to: '2026-06-30' } as const;
export const WORKED_AS_OF = WORKED_WINDOW.to;
/** The categories the company reports on. */
export const WORKED_CATEGORIES = ['security', 'availability', 'confidentiality'] as const;

/** The topics the four consumers read (fresh ones in a spec). */
export interface WorkedTopics {
  controlMapping: string;
  evidence: string;
  monitoring: string;
  readiness: string;
}

/** Fresh topics and consumer groups for one suite: what other runs publish never reaches it. */
export interface WorkedKafka {
  topics: WorkedTopics;
  groups: WorkedTopics;
}

export function freshWorkedKafka(): WorkedKafka {
  return {
    topics: {
      controlMapping: freshTopic('engcm'),
      evidence: freshTopic('engev'),
      monitoring: freshTopic('engmo'),
      readiness: freshTopic('engrd'),
    },
    groups: {
      controlMapping: freshName('attest.auditor-engagement.control-mapping-events-test'),
      evidence: freshName('attest.auditor-engagement.evidence-events-test'),
      monitoring: freshName('attest.auditor-engagement.monitoring-events-test'),
      readiness: freshName('attest.auditor-engagement.readiness-events-test'),
    },
  };
}

/** The service's messaging options for the suite's topics and groups (its own events go to its real topic). */
export function workedMessaging(kafka: WorkedKafka): EngagementMessagingOptions {
  return {
    groupId: kafka.groups.controlMapping,
    controlMappingTopic: kafka.topics.controlMapping,
    evidenceTopic: kafka.topics.evidence,
    evidenceGroupId: kafka.groups.evidence,
    monitoringTopic: kafka.topics.monitoring,
    monitoringGroupId: kafka.groups.monitoring,
    readinessTopic: kafka.topics.readiness,
    readinessGroupId: kafka.groups.readiness,
  };
}

/**
 * Publishes the records and waits until each consumer took all of its topic's (handled or duplicate); fails when
 * the service dead-lettered any, since worked data no consumer can take is a broken consumer or broken data.
 */
export async function publishWorkedRecords(
  app: Pick<INestApplicationContext, 'get'>,
  producer: Producer,
  kafka: WorkedKafka,
  records: EncodedRecord[],
): Promise<void> {
  const keys = Object.keys(kafka.topics) as (keyof WorkedTopics)[];
  const before = new Map(keys.map((k) => [k, taken(app, kafka.groups[k])]));
  for (const k of keys) {
    const messages = records.filter((r) => r.topic === kafka.topics[k]).map((r) => r.message);
    for (let i = 0; i < messages.length; i += 200)
      await producer.send({ topic: kafka.topics[k], messages: messages.slice(i, i + 200) });
  }
  for (const k of keys) {
    const expected = before.get(k)!.all + records.filter((r) => r.topic === kafka.topics[k]).length;
    await waitFor(
      `${expected} records taken by ${kafka.groups[k]}`,
      () => taken(app, kafka.groups[k]).all >= expected,
      120_000,
      200,
    );
    const dead = taken(app, kafka.groups[k]).dead;
    if (dead > before.get(k)!.dead)
      throw new Error(`${kafka.groups[k]} dead-lettered ${dead} worked record(s)`);
  }
}

function taken(app: Pick<INestApplicationContext, 'get'>, groupId: string): { all: number; dead: number } {
  const stats = messagingOf(app, groupId).stats().consumer;
  if (!stats) throw new Error(`the consumer of ${groupId} is not running`);
  return { all: stats.handled + stats.duplicates + stats.deadLettered, dead: stats.deadLettered };
}

export type WorkedControlKey = 'ac01' | 'ac04' | 'ac07' | 'ac12' | 'net03' | 'hr02' | 'bck02' | 'exports';

/** A control of the company as control-mapping announced it, with what proves it operated. */
export interface WorkedControl {
  controlId: string;
  code: string;
  catalogControlId?: string;
  name: string;
  frequency: Frequency;
  criteria: string[];
  /** The monitoring tests that prove it (shipped ones through the catalog control, the custom one by control id). */
  testIds: string[];
  /** The evidence types the request list asks for: the catalog control's; one of any type for a custom control. */
  evidenceTypes: (EvidenceType | undefined)[];
}

export interface WorkedData {
  tenantId: string;
  controls: Record<WorkedControlKey, WorkedControl>;
  /**
   * Occurrences every population of the window must list, by control: the ids the population rules give
   * (`evidence:<itemId>:v<n>`, `joiner:<personId>`, `test:<testId>:<day>`). For the small populations the list is
   * exact (they are tested in full).
   */
  occurrences: {
    ac01: string[];
    ac07: string[];
    hr02: string[];
    exports: string[];
    /** Every day of the window (one test): the population of AC-12's test runs. */
    ac12TestDays: string[];
  };
  /** The day AC-12's test failed (log_connections was turned off for a maintenance and not turned back on). */
  failedDay: string;
  /** The joiner who accepted the policies 44 days after starting: a deviation of HR-02. */
  lateJoiner: { personId: string; startDate: string; acceptedOn: string };
  /** What readiness published as the system description (the report's section 3). */
  systemDescription: SystemDescription;
  /** Every record to publish, control-mapping's first (a consumer learns the controls before anything names them). */
  records(topics: WorkedTopics): EncodedRecord[];
}

type SystemDescription = Record<string, unknown> & {
  systemName: string;
  complementaryUserEntityControls: { id: string; description: string; criteria: string[] }[];
  subserviceOrganizations: {
    name: string;
    services: string;
    method: 'carve-out' | 'inclusive';
    complementarySubserviceOrganizationControls: { id: string; description: string; criteria: string[] }[];
  }[];
  criteriaNotRelevant: { criterionId: string; reason: string }[];
  significantChanges: { date: string; description: string }[];
};

const CE = {
  controlAdopted: 'io.attest.control-mapping.control-adopted.v1',
  customControlAdded: 'io.attest.control-mapping.custom-control-added.v1',
  personJoined: 'io.attest.control-mapping.person-joined.v1',
  policyPublished: 'io.attest.control-mapping.policy-published.v1',
  policyAccepted: 'io.attest.control-mapping.policy-accepted.v1',
  evidenceSubmitted: 'io.attest.evidence.evidence-submitted.v1',
  evidenceVersioned: 'io.attest.evidence.evidence-versioned.v1',
  collectorRunSucceeded: 'io.attest.evidence.collector-run-succeeded.v1',
  testDefined: 'io.attest.monitoring.monitoring-test-defined.v1',
  testResultsRecorded: 'io.attest.monitoring.test-results-recorded.v1',
  systemDescriptionRevised: 'io.attest.readiness.system-description-revised.v1',
} as const;

/** The shipped tests on the PostgreSQL collector's facts that prove the adopted catalog controls. */
const SHIPPED = {
  scram: 'postgresql-password-encryption-scram', // AC-04
  logConnections: 'postgresql-log-connections-enabled', // AC-12
  tls: 'database-enforces-tls', // NET-03
} as const;
/** The company's own test, proving its backup control by control id. */
const BACKUP_TEST = 'northwind-nightly-backup-succeeded';
const DB_SERVER = 'billing-db.northwind.internal:5432';
const COLLECTOR = 'postgresql-security';
const FAILED_DAY = '2026-03-14';

const DAY_MS = 86_400_000;
const day = (iso: string, offset = 0) =>
  new Date(Date.parse(`${iso}T00:00:00.000Z`) + offset * DAY_MS).toISOString().slice(0, 10);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every day of the window, in order. */
function windowDays(): string[] {
  const days: string[] = [];
  for (let d: string = WORKED_WINDOW.from; d <= WORKED_WINDOW.to; d = day(d, 1)) days.push(d);
  return days;
}

function catalogControl(key: WorkedControlKey, catalogControlId: string, testIds: string[]): WorkedControl {
  const template = controlById(catalogControlId);
  if (!template) throw new Error(`no catalog control ${catalogControlId}`);
  return {
    controlId: randomUUID(),
    code: catalogControlId,
    catalogControlId,
    name: template.name,
    frequency: template.frequency,
    criteria: [...template.criteria],
    testIds,
    evidenceTypes: [...new Set(template.evidence.map((e) => e.type))],
  };
}

/**
 * The company "Northwind Billing" as tenant `tenantId` (fresh ids on every call): eight controls — an annual policy
 * (AC-01), three continuous controls proven by shipped tests on the billing database (AC-04, AC-12, NET-03, with
 * daily collector runs and a weekly snapshot), the quarterly access review (AC-07, uploaded reports and tickets),
 * onboarding (HR-02: six joiners in the window who accept the policies, one late), daily backups proven by the
 * company's own test (BCK-02) and a custom control with per-event approvals (NWB-01); the system description with
 * CUECs, a carved-out subservice organization, a criterion not relevant and two significant changes.
 */
export function workedData(tenantId: string): WorkedData {
  const controls: Record<WorkedControlKey, WorkedControl> = {
    ac01: catalogControl('ac01', 'AC-01', []),
    ac04: catalogControl('ac04', 'AC-04', [SHIPPED.scram]),
    ac07: catalogControl('ac07', 'AC-07', []),
    ac12: catalogControl('ac12', 'AC-12', [SHIPPED.logConnections]),
    net03: catalogControl('net03', 'NET-03', [SHIPPED.tls]),
    hr02: catalogControl('hr02', 'HR-02', []),
    bck02: catalogControl('bck02', 'BCK-02', [BACKUP_TEST]),
    exports: {
      controlId: randomUUID(),
      code: 'NWB-01',
      name: 'Customer data exports approved by the account owner',
      frequency: 'per-event',
      criteria: ['C1.1', 'CC6.7'],
      testIds: [],
      evidenceTypes: [undefined],
    },
  };
  const days = windowDays();
  const policy = { policyId: randomUUID(), version: '1.0.0', contentSha256: sha256('access-control 1.0.0') };

  // Uploads, each a person's: the policy, two quarterly access reviews with their removal tickets, AC-12's log
  // exports, and the export approvals of the custom control.
  const uploads = [
    upload(
      controls.ac01,
      'policy-document',
      'Access control policy 1.0',
      '2026-01-01',
      '2026-12-31',
      '2026-01-05',
    ),
    upload(controls.ac07, 'report', 'Q1 2026 user access review', '2026-01-01', '2026-03-31', '2026-04-03'),
    upload(
      controls.ac07,
      'ticket-sample',
      'Q1 2026 access removals',
      '2026-01-01',
      '2026-03-31',
      '2026-04-03',
    ),
    upload(controls.ac07, 'report', 'Q2 2026 user access review', '2026-04-01', '2026-06-30', '2026-06-29'),
    upload(
      controls.ac07,
      'ticket-sample',
      'Q2 2026 access removals',
      '2026-04-01',
      '2026-06-30',
      '2026-06-29',
    ),
    upload(
      controls.ac12,
      'log-export',
      'Q1 2026 database connection log',
      '2026-01-01',
      '2026-03-31',
      '2026-04-02',
    ),
    upload(
      controls.ac12,
      'log-export',
      'Q2 2026 database connection log',
      '2026-04-01',
      '2026-06-30',
      '2026-06-30',
    ),
    // The Q4 2025 review lies before the window: no occurrence of the window's population.
    upload(controls.ac07, 'report', 'Q4 2025 user access review', '2025-10-01', '2025-12-31', '2026-01-04'),
    ...['2026-01-20', '2026-02-11', '2026-03-30', '2026-05-06', '2026-06-17'].map((on, i) =>
      upload(controls.exports, 'ticket-sample', `Export approval EXP-${101 + i}`, on, on, on),
    ),
  ];

  // HR-02: six people joined in the window (one before it, who is no occurrence); each accepts the policy within
  // days of starting, except the one who took 44 days.
  const starts = ['2026-01-12', '2026-02-02', '2026-03-09', '2026-04-13', '2026-05-04', '2026-06-01'];
  const joiners = [
    { personId: randomUUID(), startDate: '2025-11-03', acceptedOn: '2025-11-05' },
    ...starts.map((startDate, i) => ({
      personId: randomUUID(),
      startDate,
      acceptedOn: day(startDate, i === 3 ? 44 : 2),
    })),
  ];
  const lateJoiner = joiners[4];

  // The PostgreSQL collector runs every day at 06:00; the snapshot it keeps changes (a new version) on Mondays.
  const snapshotItem = randomUUID();
  const runs = days.map((d) => ({ day: d, runId: randomUUID(), at: `${d}T06:00:04.000Z` }));
  const snapshotRuns = runs.filter((r) => new Date(`${r.day}T00:00:00Z`).getUTCDay() === 1);

  const systemDescription = northwindSystemDescription();

  const records = (topics: WorkedTopics): EncodedRecord[] => {
    const out: EncodedRecord[] = [];
    const add = (topic: string, ceType: string, data: Record<string, unknown>, streamVersion = 1) =>
      out.push(
        publishedRecord({
          topic,
          tenantId,
          ceType,
          data: contractExample(ceType, data),
          streamVersion,
        }),
      );

    // Control-mapping: the controls (adopted before the window), the policy, the people and their acceptances.
    for (const c of Object.values(controls)) {
      const common = {
        controlId: c.controlId,
        code: c.code,
        name: c.name,
        frequency: c.frequency,
        criteria: c.criteria,
        pointsOfFocus: [],
      };
      if (c.catalogControlId) {
        const template = controlById(c.catalogControlId)!;
        add(topics.controlMapping, CE.controlAdopted, {
          ...common,
          catalogControlId: c.catalogControlId,
          controlType: template.type,
          nature: template.nature,
          pointsOfFocus: template.pointsOfFocus,
          ownerRole: template.ownerRole,
          adoptedAt: '2025-12-01T09:00:00.000Z',
        });
      } else {
        add(topics.controlMapping, CE.customControlAdded, {
          ...common,
          description:
            'A bulk export of a customer’s billing data runs only after the customer’s account owner approves it ' +
            'in the support portal.',
          controlType: 'preventive',
          nature: 'it-dependent-manual',
          pointsOfFocus: [],
          ownerRole: 'customer-support-lead',
          addedAt: '2025-12-01T09:05:00.000Z',
        });
      }
    }
    add(topics.controlMapping, CE.policyPublished, {
      policyId: policy.policyId,
      version: policy.version,
      supersedesVersion: undefined,
      effectiveDate: '2025-12-01',
      contentSha256: policy.contentSha256,
      documentUrl: undefined,
      publishedAt: '2025-12-01T10:00:00.000Z',
    });
    for (const j of joiners) {
      add(topics.controlMapping, CE.personJoined, {
        personId: j.personId,
        startDate: j.startDate,
        managerPersonId: undefined,
        joinedAt: `${day(j.startDate, -7)}T09:00:00.000Z`,
      });
      add(topics.controlMapping, CE.policyAccepted, {
        policyId: policy.policyId,
        version: policy.version,
        acceptanceId: randomUUID(),
        person: { ...(contractExample(CE.policyAccepted, {}).person as object), personId: j.personId },
        contentSha256: policy.contentSha256,
        acceptedAt: `${j.acceptedOn}T09:30:00.000Z`,
      });
    }

    // Evidence: the uploads, then the collector's daily runs with the weekly snapshot.
    for (const u of uploads)
      add(topics.evidence, CE.evidenceSubmitted, {
        itemId: u.itemId,
        version: 1,
        title: u.title,
        description: undefined,
        evidenceType: u.evidenceType,
        controlIds: [u.controlId],
        criteria: u.criteria,
        period: u.period,
        source: { kind: 'upload' },
        content: {
          sha256: sha256(u.title),
          sizeBytes: 20_000 + u.title.length,
          mediaType: 'application/pdf',
          fileName: `${u.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.pdf`,
        },
        tags: [],
        submittedAt: `${u.submittedOn}T15:00:00.000Z`,
      });
    let snapshotVersion = 0;
    for (const run of runs) {
      const snapshot = snapshotRuns.includes(run);
      if (snapshot) {
        snapshotVersion += 1;
        const content = {
          sha256: sha256(`${snapshotItem}:${snapshotVersion}`),
          sizeBytes: 9_000 + snapshotVersion,
          mediaType: 'application/json',
          fileName: `${COLLECTOR}-billing-db-${run.day}.json`,
        };
        const source = { kind: 'collector', collectorId: COLLECTOR, runId: run.runId };
        const period = { from: run.day, to: run.day };
        if (snapshotVersion === 1)
          add(topics.evidence, CE.evidenceSubmitted, {
            itemId: snapshotItem,
            version: 1,
            title: `PostgreSQL security snapshot of ${DB_SERVER}`,
            description: undefined,
            evidenceType: 'config-snapshot',
            controlIds: [controls.ac04.controlId, controls.ac12.controlId, controls.net03.controlId],
            criteria: ['CC6.1', 'CC6.6', 'CC6.7'],
            period,
            source,
            content,
            tags: [],
            submittedAt: run.at,
            actor: { type: 'system', id: 'system:collector-schedule' },
          });
        else
          add(
            topics.evidence,
            CE.evidenceVersioned,
            {
              itemId: snapshotItem,
              version: snapshotVersion,
              period,
              source,
              content,
              changeSummary: `Snapshot of ${run.day}`,
              versionedAt: run.at,
              actor: { type: 'system', id: 'system:collector-schedule' },
            },
            snapshotVersion,
          );
      }
      add(topics.evidence, CE.collectorRunSucceeded, {
        runId: run.runId,
        collectorId: COLLECTOR,
        facts: [
          {
            resourceType: 'postgresql.server',
            resourceId: DB_SERVER,
            attributes: {
              ssl: true,
              passwordEncryption: 'scram-sha-256',
              logConnections: run.day !== FAILED_DAY,
            },
          },
        ],
        evidenceItemIds: snapshot ? [snapshotItem] : [],
        finishedAt: run.at,
        actor: { type: 'system', id: 'system:collector-schedule' },
      });
    }

    // Monitoring: the company's own backup test, then each day's results of the four tests on that day's run.
    add(topics.monitoring, CE.testDefined, {
      testStreamId: randomUUID(),
      testId: BACKUP_TEST,
      version: 1,
      definition: {
        testId: BACKUP_TEST,
        title: 'The billing database was backed up in the last 26 hours',
        description: 'BCK-02: the nightly backup of the billing database completed.',
        factTypes: ['postgresql.server'],
        condition: "resource.attributes.passwordEncryption == 'scram-sha-256'",
        details: "{'server': resource.resourceId}",
        severity: 'high',
        controls: { catalogControlIds: [], controlIds: [controls.bck02.controlId] },
        remediation: 'Re-run the backup job and check its logs.',
      },
      definedAt: '2025-12-01T11:00:00.000Z',
    });
    const streams = new Map<string, string>();
    for (const run of runs) {
      for (const testId of [SHIPPED.scram, SHIPPED.logConnections, SHIPPED.tls, BACKUP_TEST]) {
        const fails = testId === SHIPPED.logConnections && run.day === FAILED_DAY;
        if (!streams.has(testId)) streams.set(testId, randomUUID());
        add(topics.monitoring, CE.testResultsRecorded, {
          resultsStreamId: streams.get(testId),
          testId,
          testVersion: 1,
          runId: run.runId,
          collectorId: COLLECTOR,
          evaluatedAt: run.at.replace('06:00:04', '06:00:09'),
          counts: { pass: fails ? 0 : 1, fail: fails ? 1 : 0, error: 0, notApplicable: 0, excepted: 0 },
          chunk: { index: 0, count: 1 },
          results: [
            {
              resourceType: 'postgresql.server',
              resourceId: DB_SERVER,
              outcome: fails ? 'fail' : 'pass',
              previousOutcome: 'pass',
              details: {},
              excepted: false,
            },
          ],
        });
      }
    }

    // Readiness: the system description as management last revised it.
    add(topics.readiness, CE.systemDescriptionRevised, {
      assessmentId: randomUUID(),
      revision: 1,
      systemDescription,
      changeSummary: 'System description for the first SOC 2 Type II period.',
      revisedAt: '2025-12-15T10:00:00.000Z',
    });
    return out;
  };

  const ids = (key: 'ac01' | 'ac07' | 'exports') =>
    uploads
      .filter((u) => u.controlId === controls[key].controlId && u.period.to >= WORKED_WINDOW.from)
      .map((u) => `evidence:${u.itemId}:v1`)
      .sort();
  return {
    tenantId,
    controls,
    occurrences: {
      ac01: ids('ac01'),
      ac07: ids('ac07'),
      exports: ids('exports'),
      hr02: joiners
        .filter((j) => j.startDate >= WORKED_WINDOW.from)
        .map((j) => `joiner:${j.personId}`)
        .sort(),
      ac12TestDays: days.map((d) => `test:${SHIPPED.logConnections}:${d}`),
    },
    failedDay: FAILED_DAY,
    lateJoiner,
    systemDescription,
    records,
  };
}

function upload(
  control: WorkedControl,
  evidenceType: EvidenceType,
  title: string,
  from: string,
  to: string,
  submittedOn: string,
) {
  return {
    itemId: randomUUID(),
    controlId: control.controlId,
    criteria: control.criteria,
    evidenceType,
    title,
    period: { from, to },
    submittedOn,
  };
}

function northwindSystemDescription(): SystemDescription {
  return {
    systemName: 'Northwind Billing',
    services: [
      { name: 'Subscription billing', description: 'Invoices and collects payments for SaaS vendors.' },
    ],
    principalServiceCommitments: [
      { commitment: '99.9% monthly availability of the billing API.', categories: ['availability'] },
      {
        commitment: 'Card and invoice data is encrypted in transit and at rest and never shared.',
        categories: ['security', 'confidentiality'],
      },
    ],
    infrastructure: [
      {
        name: 'Production GCP project',
        kind: 'cloud-platform',
        provider: 'Google Cloud',
        description: 'GKE cluster and Cloud SQL for PostgreSQL in europe-west3.',
      },
    ],
    software: [
      { name: 'Billing API', purpose: 'Creates invoices and charges customers.' },
      { name: 'Okta', purpose: 'Workforce single sign-on and MFA.', vendor: 'Okta, Inc.' },
    ],
    people: {
      headcount: 34,
      teams: [
        { name: 'Engineering', responsibilities: 'Builds and runs the platform.' },
        { name: 'Security and compliance', responsibilities: 'Owns policies and access reviews.' },
      ],
    },
    data: [{ category: 'Invoices', classification: 'confidential', containsPersonalData: true }],
    subserviceOrganizations: [
      {
        name: 'Google Cloud',
        services: 'Hosting, physical security and managed databases.',
        method: 'carve-out',
        complementarySubserviceOrganizationControls: [
          {
            id: 'CSOC-1',
            description: 'Data center access is restricted to authorized personnel.',
            criteria: ['CC6.4'],
          },
          {
            id: 'CSOC-2',
            description: 'Managed database backups are replicated across zones.',
            criteria: ['A1.2'],
          },
        ],
      },
    ],
    complementaryUserEntityControls: [
      {
        id: 'CUEC-1',
        description: 'Customers restrict who in their organization holds billing administrator rights.',
        criteria: ['CC6.1', 'CC6.2'],
      },
      {
        id: 'CUEC-2',
        description: 'Customers approve data exports only for their own account owners.',
        criteria: ['C1.1'],
      },
    ],
    criteriaNotRelevant: [
      {
        criterionId: 'C1.2',
        reason:
          'Invoices are kept for the statutory ten years; the system disposes of no confidential data itself.',
      },
    ],
    significantChanges: [
      { date: '2026-02-16', description: 'Moved the billing database from self-managed VMs to Cloud SQL.' },
      { date: '2026-05-04', description: 'Replaced password logins to the admin console with Okta SSO.' },
    ],
  };
}
