import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import {
  controlMatrixCsv,
  controlMatrixXlsx,
  renderBridgeLetterHtml,
  renderBridgeLetterPdf,
  renderReportHtml,
  renderReportPdf,
  type AuditReportModel,
  type BridgeLetterModel,
} from './index';

const INJECTED = '<script>alert("x")</script><img src=x onerror=alert(1)>';

/** A small Type II engagement: three controls over three criteria, two exceptions (one answered by management). */
const worked: AuditReportModel = {
  generatedAt: '2025-08-01T09:00:00.000Z',
  organization: { tenantId: 'tenant-a', name: 'Acme Cloud' },
  engagement: {
    engagementId: 'eng-1',
    name: 'SOC 2 Type II 2025',
    type: 'type-2',
    window: { from: '2025-01-01', to: '2025-06-30' },
    firm: { name: 'Example CPA LLP', auditors: [{ name: 'Ada Auditor', role: 'lead' }] },
    status: 'reporting',
    categories: ['security', 'availability'],
  },
  systemDescription: {
    systemName: 'Acme Cloud',
    services: [{ name: 'Acme Hosting', description: 'Managed hosting for web shops' }],
    principalServiceCommitments: [{ commitment: 'Uptime of 99.9% per month', categories: ['availability'] }],
    infrastructure: [{ name: 'AWS eu-central-1', kind: 'cloud-platform', provider: 'AWS' }],
    software: [{ name: 'Kubernetes', purpose: 'Runs the workloads' }],
    people: { headcount: 42, teams: [{ name: 'Platform', responsibilities: 'Operates production' }] },
    data: [{ category: 'Customer orders', classification: 'confidential', containsPersonalData: true }],
    subserviceOrganizations: [],
    significantChanges: [{ date: '2025-03-01', description: 'Moved the database to Aurora' }],
  },
  scope: {
    categories: ['security', 'availability'],
    controlIds: ['c-1', 'c-2', 'c-3'],
    cuecs: [{ id: 'CUEC-1', description: 'Customers review their own users quarterly', criteria: ['CC6.2'] }],
    subserviceOrganizations: [
      {
        name: 'Amazon Web Services',
        services: 'Data centres',
        method: 'carve-out',
        csocs: ['Physical access is restricted'],
      },
    ],
  },
  criteria: [
    {
      criterionId: 'CC6.1',
      category: 'security',
      text: 'Logical access security is implemented.',
      controlIds: ['c-1', 'c-2'],
    },
    {
      criterionId: 'CC8.1',
      category: 'security',
      text: 'Changes are authorized and tested.',
      controlIds: ['c-2'],
    },
    {
      criterionId: 'A1.2',
      category: 'availability',
      text: 'Backups and recovery are in place.',
      controlIds: ['c-3'],
    },
  ],
  criteriaNotRelevant: [{ criterionId: 'CC9.9', reason: 'No such activity in this system' }],
  controls: [
    {
      controlId: 'c-1',
      code: 'AC-01',
      name: `Quarterly access review ${INJECTED}`,
      description: 'Managers review user access every quarter.',
      frequency: 'quarterly',
      criteria: ['CC6.1'],
      procedures: ['inspection', 'inquiry'],
      population: { populationId: 'p-1', size: 2, hash: 'a'.repeat(64), frozenAt: '2025-07-01T00:00:00Z' },
      sample: { sampleId: 's-1', seed: 'b'.repeat(64), size: 2, testedInFull: true },
      results: [
        {
          resultId: 'r-1',
          occurrenceId: 'evidence:q1:v1',
          procedure: 'inspection',
          result: 'no-exception',
          testedAt: '2025-07-02',
          tester: 'Ada Auditor',
        },
        {
          resultId: 'r-2',
          occurrenceId: 'evidence:q2:v1',
          procedure: 'inspection',
          result: 'exception',
          description: 'Q2 review signed late',
          testedAt: '2025-07-02',
          tester: 'Ada Auditor',
        },
      ],
      deviationRate: 0.5,
      exceptions: [
        {
          exceptionId: 'x-1',
          occurrenceId: 'evidence:q2:v1',
          description: 'Q2 access review was signed off 20 days late',
          managementResponse: {
            response: 'Reviews are now due in the ticket queue with reminders',
            respondedAt: '2025-07-05',
            by: 'Carla Compliance',
          },
        },
      ],
      conclusion: 'exceptions-noted',
    },
    {
      controlId: 'c-2',
      code: 'CM-02',
      name: 'Changes are approved before deployment',
      description: 'Every production change has an approved pull request.',
      frequency: 'per-event',
      criteria: ['CC6.1', 'CC8.1'],
      procedures: ['re-performance'],
      population: { populationId: 'p-2', size: 300, hash: 'c'.repeat(64), frozenAt: '2025-07-01T00:00:00Z' },
      sample: { sampleId: 's-2', seed: 'd'.repeat(64), size: 2, testedInFull: false },
      results: [
        {
          resultId: 'r-3',
          occurrenceId: 'evidence:pr-17:v1',
          procedure: 're-performance',
          result: 'exception',
          description: 'No approval',
          testedAt: '2025-07-03',
          tester: 'Ada Auditor',
        },
        {
          resultId: 'r-4',
          occurrenceId: 'evidence:pr-42:v1',
          procedure: 're-performance',
          result: 'no-exception',
          testedAt: '2025-07-03',
          tester: 'Ada Auditor',
        },
      ],
      deviationRate: 0.5,
      exceptions: [
        {
          exceptionId: 'x-2',
          occurrenceId: 'evidence:pr-17:v1',
          description: `Pull request merged without approval ${INJECTED}`,
        },
      ],
      conclusion: 'exceptions-noted',
    },
    {
      controlId: 'c-3',
      code: 'BK-03',
      name: 'Daily backups',
      description: 'Databases are backed up daily.',
      frequency: 'daily',
      criteria: ['A1.2'],
      procedures: [],
      results: [],
      deviationRate: null,
      exceptions: [],
      conclusion: 'not-tested',
    },
  ],
  requests: { total: 10, fulfilledWithoutUpload: 9, share: 0.9 },
};

const bridge: BridgeLetterModel = {
  organization: worked.organization,
  engagement: { ...worked.engagement, status: 'issued' },
  coversFrom: '2025-07-01',
  coversTo: '2025-09-30',
  significantChanges: [{ date: '2025-08-15', description: `New region eu-west-1 ${INJECTED}` }],
  issuedAt: '2025-10-01T08:00:00.000Z',
  signatory: 'Carla Compliance, CISO',
};

/** The PDF's text as poppler's pdftotext extracts it, whitespace folded (table cells wrap lines anywhere). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-report-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECTIONS = [
  "Section 1. Independent service auditor's report",
  "Section 2. Management's assertion",
  'Section 3. Description of the system',
  'Section 4. Trust services criteria, controls, tests and results',
  'Section 5. Other information provided by management',
];

describe('the HTML report', () => {
  const html = renderReportHtml(worked);

  it('has sections 1 to 5 and the parts of the system description', () => {
    for (const title of SECTIONS) expect(html).toContain(title.replace(/'/g, '&#39;'));
    for (const text of [
      'Acme Hosting',
      'Uptime of 99.9% per month',
      'AWS eu-central-1',
      'Kubernetes',
      'Platform',
      'Customer orders',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('Amazon Web Services');
    expect(html).toContain('Carve-out: controls not tested');
    expect(html).toContain('Physical access is restricted');
    expect(html).toContain('CUEC-1');
    expect(html).toContain('No such activity in this system');
    expect(html).toContain('Moved the database to Aurora');
    expect(html).toContain('reserved for the opinion of Example CPA LLP');
  });

  it('lists every criterion, control, test result, exception and management response', () => {
    for (const c of worked.criteria) expect(html).toContain(c.criterionId);
    for (const c of worked.controls) expect(html).toContain(c.code);
    for (const id of ['evidence:q1:v1', 'evidence:q2:v1', 'evidence:pr-17:v1', 'evidence:pr-42:v1'])
      expect(html).toContain(id);
    expect(html).toContain('Q2 access review was signed off 20 days late');
    expect(html).toContain('Reviews are now due in the ticket queue with reminders');
    expect(html).toContain('No management response recorded.');
    expect(html).toContain('50.0%');
  });

  it('escapes markup from the data and loads nothing from elsewhere', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('states operating effectiveness for Type II only', () => {
    const typeI = renderReportHtml({
      ...worked,
      engagement: { ...worked.engagement, type: 'type-1', window: undefined, asOf: '2025-06-30' },
    });
    expect(html).toContain('operated effectively for the period 2025-01-01 to 2025-06-30');
    expect(typeI).toContain('SOC 2 Type I report');
    expect(typeI).toContain('as of 2025-06-30');
    expect(typeI).not.toContain('operated effectively');
  });
});

describe('the PDF report', () => {
  let text: string;
  beforeAll(async () => {
    text = pdfText(await renderReportPdf(worked));
  });

  it('has a table of contents listing the sections with their page numbers', () => {
    const contents = text.indexOf('Contents');
    expect(contents).toBeGreaterThanOrEqual(0);
    for (const title of SECTIONS) {
      const inToc = text.indexOf(title, contents);
      expect(inToc).toBeGreaterThan(contents);
      // The same title again further on: the section's own heading.
      expect(text.indexOf(title, inToc + title.length)).toBeGreaterThan(inToc);
    }
    expect(text).toMatch(
      /Contents Section 1\. Independent service auditor's report 2 Section 2\. Management's assertion 3 /,
    );
    expect(text).toMatch(/4\.2 Test results by control \d+ /);
  });

  it('contains every control, criterion, exception and management response', () => {
    for (const c of worked.controls) expect(text).toContain(c.code);
    for (const c of worked.criteria) expect(text).toContain(c.criterionId);
    for (const x of worked.controls.flatMap((c) => c.exceptions)) {
      expect(text).toContain(x.description);
      if (x.managementResponse) expect(text).toContain(x.managementResponse.response);
    }
    expect(text).toContain('No management response recorded.');
    expect(text).toContain('evidence:pr-42:v1');
  });
});

describe('the control matrix', () => {
  it('has one CSV row per control with its figures, formulas neutralized', () => {
    const evil = {
      ...worked,
      controls: [
        { ...worked.controls[2], name: '=HYPERLINK("http://x","y")' },
        ...worked.controls.slice(0, 2),
      ],
    };
    const lines = controlMatrixCsv(evil).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + worked.controls.length);
    expect(lines[0]).toBe(
      'Control,Name,Criteria,Frequency,Procedures,Population size,Sample size,Tests performed,Exceptions,Deviation rate,Conclusion,Control ID',
    );
    expect(lines[1]).toBe(`BK-03,"'=HYPERLINK(""http://x"",""y"")",A1.2,daily,,,,0,0,,Not tested,c-3`);
    expect(lines[3]).toBe(
      'CM-02,Changes are approved before deployment,"CC6.1, CC8.1",per-event,Re-performance,300,2,2,1,0.5,Exceptions noted,c-2',
    );
  });

  it('reads back from XLSX with exactly one row per control', async () => {
    const workbook = new ExcelJS.Workbook();
    const xlsx = await controlMatrixXlsx(worked);
    // exceljs declares its input as an ArrayBuffer.
    await workbook.xlsx.load(
      xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer,
    );
    const sheet = workbook.getWorksheet('Control matrix');
    if (!sheet) throw new Error('the workbook has no "Control matrix" sheet');
    expect(sheet.actualRowCount).toBe(1 + worked.controls.length);
    const codes = [2, 3, 4].map((r) => sheet.getRow(r).getCell(1).value);
    expect(codes).toEqual(worked.controls.map((c) => c.code));
    expect(sheet.getRow(2).getCell(10).value).toBe(0.5);
    expect(sheet.getRow(3).getCell(6).value).toBe(300);
    expect(sheet.getRow(4).getCell(11).value).toBe('Not tested');
  });
});

describe('the bridge letter', () => {
  it('states the period covered and the significant changes, escaped, in HTML', () => {
    const html = renderBridgeLetterHtml(bridge);
    expect(html).toContain('from 2025-07-01 to 2025-09-30');
    expect(html).toContain('for the period 2025-01-01 to 2025-06-30');
    expect(html).toContain('New region eu-west-1 &lt;script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('Carla Compliance, CISO');
  });

  it('says there were no changes when there were none, and reads back from the PDF', async () => {
    expect(renderBridgeLetterHtml({ ...bridge, significantChanges: [] })).toContain(
      'no significant changes to the system.',
    );
    const text = pdfText(await renderBridgeLetterPdf(bridge));
    expect(text).toContain('Bridge letter: Acme Cloud');
    expect(text).toContain('from 2025-07-01 to 2025-09-30');
    expect(text).toContain('New region eu-west-1');
    expect(text).toContain('Carla Compliance, CISO');
  });
});
