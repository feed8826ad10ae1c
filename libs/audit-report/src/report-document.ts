import type { Block, DocumentModel } from './document-blocks';
import type { AuditReportModel, Procedure, ReportControl } from './report-model';
import {
  CONCLUSION_WORDS,
  PROCEDURE_WORDS,
  RESULT_WORDS,
  percent,
  periodWords,
  reportTypeWords,
} from './report-wording';

/**
 * How a control's individual test results appear: every result as a table row (HTML), or a count per procedure
 * with the samples listed compactly (PDF: tens of thousands of table rows would make a slow, unreadable PDF;
 * the HTML report and the control matrix keep the full detail).
 */
export type ResultDetail = 'rows' | 'summary';

/** The draft SOC 2 report, sections 1–5, as format-neutral blocks. */
export function reportDocument(m: AuditReportModel, resultDetail: ResultDetail): DocumentModel {
  const kind = reportTypeWords(m.engagement);
  return {
    title: `SOC 2 ${kind} report: ${m.organization.name}`,
    subtitle: [
      `${m.engagement.name} · ${periodWords(m.engagement)}`,
      `Service auditor: ${m.engagement.firm.name} · categories: ${m.engagement.categories.join(', ')}`,
    ],
    notice:
      m.engagement.status === 'issued'
        ? undefined
        : `Draft (engagement status: ${m.engagement.status}). Figures and results may still change.`,
    tableOfContents: true,
    blocks: [
      ...auditorsReport(m),
      ...managementAssertion(m),
      ...systemDescription(m),
      ...testsAndResults(m, resultDetail),
      ...otherInformation(m),
    ],
    colophon: `Generated ${m.generatedAt} by Attest for engagement ${m.engagement.engagementId}.`,
  };
}

function auditorsReport(m: AuditReportModel): Block[] {
  const auditors = m.engagement.firm.auditors.map((a) => `${a.name} (${a.role})`);
  return [
    { kind: 'heading', level: 1, text: "Section 1. Independent service auditor's report" },
    {
      kind: 'paragraph',
      tone: 'note',
      text: `This section is reserved for the opinion of ${m.engagement.firm.name}. The firm writes and signs it; Attest does not draft an opinion.`,
    },
    {
      kind: 'fields',
      fields: [
        ['Service organization', m.organization.name],
        ['Report', `SOC 2 ${reportTypeWords(m.engagement)} ${periodWords(m.engagement)}`],
        ['Service auditor', m.engagement.firm.name],
        ['Engagement team', auditors.length ? auditors.join(', ') : 'none invited'],
      ],
    },
  ];
}

function managementAssertion(m: AuditReportModel): Block[] {
  const e = m.engagement;
  const system = m.organization.name;
  const period = periodWords(e);
  const carvedOut = m.scope.subserviceOrganizations
    .filter((s) => s.method === 'carve-out')
    .map((s) => s.name);
  const statements = [
    `The description in section 3 presents ${system} as it was designed and implemented ${period}, following the description criteria.`,
    `The controls stated in the description were suitably designed ${period} to give reasonable assurance that the service commitments and system requirements would be achieved under the applicable trust services criteria (${e.categories.join(', ')}), if the controls operated as described${m.scope.cuecs.length ? ' and user entities applied the complementary user entity controls' : ''}${carvedOut.length ? ' and the carved-out subservice organizations applied the complementary controls assumed in the design' : ''}.`,
    ...(e.type === 'type-2'
      ? [
          `The controls stated in the description operated effectively ${period} to give reasonable assurance that the service commitments and system requirements were achieved under those criteria.`,
        ]
      : []),
  ];
  return [
    { kind: 'heading', level: 1, text: "Section 2. Management's assertion" },
    {
      kind: 'paragraph',
      text: `Management of ${system} prepared the description of its system in section 3 and is responsible for it and for the design${e.type === 'type-2' ? ' and operation' : ''} of the controls it states. To the best of our knowledge and belief:`,
    },
    { kind: 'list', items: statements },
    ...(carvedOut.length
      ? [
          {
            kind: 'paragraph',
            text: `The description does not include the controls of these subservice organizations (carve-out method): ${carvedOut.join(', ')}.`,
          } as Block,
        ]
      : []),
    {
      kind: 'paragraph',
      tone: 'note',
      text: 'Signature and date: to be completed by management when the report is issued.',
    },
  ];
}

function systemDescription(m: AuditReportModel): Block[] {
  const d = m.systemDescription;
  const heading: Block = { kind: 'heading', level: 1, text: 'Section 3. Description of the system' };
  const scopeParts = [...subserviceOrganizations(m), ...cuecs(m), ...criteriaNotRelevant(m)];
  if (!d) {
    return [
      heading,
      { kind: 'paragraph', tone: 'note', text: 'No system description has been recorded in readiness yet.' },
      ...scopeParts,
    ];
  }
  const none = (what: string): Block => ({ kind: 'paragraph', tone: 'note', text: `No ${what} recorded.` });
  const changes = d.significantChanges ?? [];
  return [
    heading,
    { kind: 'heading', level: 2, text: '3.1 Services provided' },
    d.services.length
      ? {
          kind: 'table',
          header: ['Service', 'Description'],
          widths: [1, 3],
          rows: d.services.map((s) => [s.name, s.description]),
        }
      : none('services'),
    { kind: 'heading', level: 2, text: '3.2 Principal service commitments and system requirements' },
    d.principalServiceCommitments.length
      ? {
          kind: 'table',
          header: ['Commitment', 'Categories'],
          widths: [3, 1],
          rows: d.principalServiceCommitments.map((c) => [c.commitment, c.categories.join(', ')]),
        }
      : none('commitments'),
    { kind: 'heading', level: 2, text: '3.3 Components of the system' },
    { kind: 'heading', level: 3, text: 'Infrastructure' },
    d.infrastructure.length
      ? {
          kind: 'table',
          header: ['Name', 'Kind', 'Provider', 'Description'],
          widths: [2, 1, 1, 3],
          rows: d.infrastructure.map((i) => [i.name, i.kind, i.provider ?? '', i.description ?? '']),
        }
      : none('infrastructure'),
    { kind: 'heading', level: 3, text: 'Software' },
    d.software.length
      ? {
          kind: 'table',
          header: ['Name', 'Purpose', 'Vendor'],
          widths: [2, 3, 1],
          rows: d.software.map((s) => [s.name, s.purpose, s.vendor ?? '']),
        }
      : none('software'),
    { kind: 'heading', level: 3, text: 'People' },
    { kind: 'paragraph', text: `Headcount: ${d.people.headcount}.` },
    ...(d.people.teams.length
      ? [
          {
            kind: 'table',
            header: ['Team', 'Responsibilities'],
            widths: [1, 3],
            rows: d.people.teams.map((t) => [t.name, t.responsibilities]),
          } as Block,
        ]
      : []),
    { kind: 'heading', level: 3, text: 'Data' },
    d.data.length
      ? {
          kind: 'table',
          header: ['Category', 'Classification', 'Personal data'],
          widths: [3, 1, 1],
          rows: d.data.map((x) => [x.category, x.classification, x.containsPersonalData ? 'yes' : 'no']),
        }
      : none('data categories'),
    ...scopeParts,
    { kind: 'heading', level: 2, text: '3.7 Significant changes during the period' },
    changes.length
      ? {
          kind: 'table',
          header: ['Date', 'Change'],
          widths: [1, 5],
          rows: changes.map((c) => [c.date, c.description]),
        }
      : none('significant changes'),
  ];
}

function subserviceOrganizations(m: AuditReportModel): Block[] {
  const orgs = m.scope.subserviceOrganizations;
  return [
    { kind: 'heading', level: 2, text: '3.4 Subservice organizations' },
    orgs.length
      ? {
          kind: 'table',
          header: [
            'Subservice organization',
            'Services',
            'Method',
            'Complementary subservice organization controls (CSOCs)',
          ],
          widths: [1, 2, 1, 3],
          rows: orgs.map((s) => [
            s.name,
            s.services,
            s.method === 'carve-out' ? 'Carve-out: controls not tested' : 'Inclusive: controls tested',
            s.csocs.length ? s.csocs.join('\n') : 'none',
          ]),
        }
      : { kind: 'paragraph', tone: 'note', text: 'The system relies on no subservice organizations.' },
  ];
}

function cuecs(m: AuditReportModel): Block[] {
  return [
    { kind: 'heading', level: 2, text: '3.5 Complementary user entity controls (CUECs)' },
    m.scope.cuecs.length
      ? {
          kind: 'table',
          header: ['CUEC', 'What user entities are expected to do', 'Criteria'],
          widths: [1, 4, 1],
          rows: m.scope.cuecs.map((c) => [c.id, c.description, c.criteria.join(', ')]),
        }
      : { kind: 'paragraph', tone: 'note', text: 'No complementary user entity controls are assumed.' },
  ];
}

function criteriaNotRelevant(m: AuditReportModel): Block[] {
  return [
    { kind: 'heading', level: 2, text: '3.6 Criteria not relevant to the system' },
    m.criteriaNotRelevant.length
      ? {
          kind: 'table',
          header: ['Criterion', 'Reason'],
          widths: [1, 5],
          rows: m.criteriaNotRelevant.map((c) => [c.criterionId, c.reason]),
        }
      : { kind: 'paragraph', tone: 'note', text: 'Every criterion in scope is relevant.' },
  ];
}

function testsAndResults(m: AuditReportModel, resultDetail: ResultDetail): Block[] {
  const byId = new Map(m.controls.map((c) => [c.controlId, c]));
  const typeI = m.engagement.type === 'type-1';
  return [
    { kind: 'heading', level: 1, text: 'Section 4. Trust services criteria, controls, tests and results' },
    {
      kind: 'paragraph',
      text: typeI
        ? `The service auditor tested the design and implementation of each control ${periodWords(m.engagement)}.`
        : `The service auditor tested the operating effectiveness of each control ${periodWords(m.engagement)}, on samples drawn from the frozen population of its occurrences in the period with a recorded seed, so that the selection can be re-performed.`,
    },
    { kind: 'heading', level: 2, text: '4.1 Criteria and the controls that address them' },
    ...m.criteria.flatMap((criterion): Block[] => {
      const controls = criterion.controlIds.flatMap((id) => byId.get(id) ?? []);
      return [
        { kind: 'heading', level: 3, text: `${criterion.criterionId} (${criterion.category})` },
        { kind: 'paragraph', text: criterion.text },
        controls.length
          ? {
              kind: 'table',
              header: ['Control', 'Tests performed', 'Results'],
              widths: [3, 2, 2],
              rows: controls.map((c) => [`${c.code} ${c.name}`, testsPerformed(c, typeI), resultsSummary(c)]),
            }
          : { kind: 'paragraph', tone: 'note', text: 'No control in scope addresses this criterion.' },
      ];
    }),
    { kind: 'heading', level: 2, text: '4.2 Test results by control' },
    ...m.controls.flatMap((c) => controlDetail(c, resultDetail)),
  ];
}

function testsPerformed(c: ReportControl, typeI: boolean): string {
  const procedures = c.procedures.map((p) => PROCEDURE_WORDS[p]).join(', ') || 'none recorded';
  if (typeI || !c.sample) return procedures;
  const of = c.population ? ` of a population of ${c.population.size}` : '';
  return `${procedures}\n${c.sample.testedInFull ? 'Tested in full' : `Sample of ${c.sample.size}`}${of}`;
}

/** One line per control in 4.1; the exceptions themselves and the responses follow in 4.2. */
function resultsSummary(c: ReportControl): string {
  if (c.conclusion !== 'exceptions-noted') return `${CONCLUSION_WORDS[c.conclusion]}.`;
  return `${CONCLUSION_WORDS[c.conclusion]}: ${c.exceptions.length} of ${c.results.length} tests, deviation rate ${percent(c.deviationRate)}.`;
}

function controlDetail(c: ReportControl, resultDetail: ResultDetail): Block[] {
  const fields: [string, string][] = [
    ['Description', c.description],
    ['Criteria', c.criteria.join(', ')],
    ['Frequency', c.frequency],
    ['Procedures', c.procedures.map((p) => PROCEDURE_WORDS[p]).join(', ') || 'none recorded'],
  ];
  if (c.population) {
    fields.push([
      'Population',
      `${c.population.size} occurrences, frozen ${c.population.frozenAt}, SHA-256 ${c.population.hash}`,
    ]);
  }
  if (c.sample) {
    fields.push([
      'Sample',
      `${c.sample.testedInFull ? 'tested in full' : `${c.sample.size} selected`}, seed ${c.sample.seed}`,
    ]);
  }
  fields.push(
    ['Tests recorded', String(c.results.length)],
    ['Deviation rate', percent(c.deviationRate, 'not tested')],
    ['Conclusion', CONCLUSION_WORDS[c.conclusion]],
  );
  return [
    { kind: 'heading', level: 3, text: `${c.code} ${c.name}` },
    { kind: 'fields', fields },
    ...resultBlocks(c, resultDetail),
    ...exceptionBlocks(c, resultDetail),
  ];
}

function resultBlocks(c: ReportControl, resultDetail: ResultDetail): Block[] {
  if (!c.results.length) return [{ kind: 'paragraph', tone: 'note', text: 'No test results recorded.' }];
  if (resultDetail === 'rows') {
    return [
      {
        kind: 'table',
        small: true,
        header: ['Sample', 'Procedure', 'Result', 'Description', 'Tested', 'By'],
        widths: [2, 1, 1, 3, 1, 1],
        rows: c.results.map((r) => [
          r.occurrenceLabel ?? r.occurrenceId ?? '',
          PROCEDURE_WORDS[r.procedure],
          RESULT_WORDS[r.result],
          r.description ?? '',
          r.testedAt,
          r.tester,
        ]),
      },
    ];
  }
  const counts = new Map<Procedure, { total: number; exceptions: number }>();
  for (const r of c.results) {
    const count = counts.get(r.procedure) ?? { total: 0, exceptions: 0 };
    count.total += 1;
    if (r.result === 'exception') count.exceptions += 1;
    counts.set(r.procedure, count);
  }
  const samples = [...new Set(c.results.flatMap((r) => r.occurrenceId ?? []))];
  return [
    {
      kind: 'table',
      header: ['Procedure', 'Tests', 'No exception', 'Exception'],
      widths: [2, 1, 1, 1],
      rows: [...counts].map(([procedure, n]) => [
        PROCEDURE_WORDS[procedure],
        String(n.total),
        String(n.total - n.exceptions),
        String(n.exceptions),
      ]),
    },
    ...(samples.length
      ? [
          {
            kind: 'paragraph',
            tone: 'small',
            text: `Samples tested (${samples.length}): ${samples.join(', ')}`,
          } as Block,
        ]
      : []),
  ];
}

/** Every exception with its management response: a table (HTML), or one compact entry each (PDF, as results). */
function exceptionBlocks(c: ReportControl, resultDetail: ResultDetail): Block[] {
  if (!c.exceptions.length) return [];
  if (resultDetail === 'summary') {
    return [
      { kind: 'paragraph', text: `Exceptions (${c.exceptions.length}):` },
      {
        kind: 'list',
        items: c.exceptions.map(
          (x) =>
            `${x.occurrenceId ? `${x.occurrenceId}: ` : ''}${x.description}\nManagement response: ${responseText(x.managementResponse)}`,
        ),
      },
    ];
  }
  return [
    {
      kind: 'table',
      header: ['Exception', 'Sample', 'Description', 'Management response'],
      widths: [1, 1, 3, 3],
      rows: c.exceptions.map((x) => [
        x.exceptionId,
        x.occurrenceId ?? '',
        x.description,
        responseText(x.managementResponse),
      ]),
    },
  ];
}

function responseText(response: ReportControl['exceptions'][number]['managementResponse']): string {
  return response
    ? `${response.response}\n(${response.by}, ${response.respondedAt})`
    : 'No management response recorded.';
}

function otherInformation(m: AuditReportModel): Block[] {
  // Per control rather than per exception: each response is printed with its exception in 4.2.
  const responses = m.controls
    .filter((c) => c.exceptions.length)
    .map((c) => {
      const answered = c.exceptions.filter((x) => x.managementResponse).length;
      return [
        `${c.code} ${c.name}`,
        String(c.exceptions.length),
        String(answered),
        String(c.exceptions.length - answered),
      ];
    });
  const r = m.requests;
  return [
    { kind: 'heading', level: 1, text: 'Section 5. Other information provided by management' },
    {
      kind: 'paragraph',
      tone: 'note',
      text: "This information is presented by management; the service auditor's opinion does not cover it.",
    },
    { kind: 'heading', level: 2, text: "5.1 Management's responses to exceptions" },
    responses.length
      ? {
          kind: 'table',
          header: ['Control', 'Exceptions', 'With a management response (see 4.2)', 'Without'],
          widths: [4, 1, 2, 1],
          rows: responses,
        }
      : { kind: 'paragraph', tone: 'note', text: 'No exceptions were noted.' },
    { kind: 'heading', level: 2, text: '5.2 Evidence requests' },
    {
      kind: 'paragraph',
      text: `${r.total} evidence requests; ${r.fulfilledWithoutUpload} answered from evidence the systems had already collected, without an upload (${percent(r.total ? r.share : null)}).`,
    },
  ];
}
