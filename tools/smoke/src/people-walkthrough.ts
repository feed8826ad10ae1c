import { randomBytes } from 'node:crypto';
import type { ChildService } from '@attest/service-kit';
import { keycloakAdmin, passwordToken } from '@attest/service-kit/testing';
import { poll } from './poll';

/** How many days the demo's control-mapping clock runs behind until the policy is published. */
export const POLICY_PUBLISHED_DAYS_AGO = 35;

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

export interface PeopleWalkthroughResult {
  imported: { rows: number; joined: number; changed: number; left: number; unchanged: number };
  people: { displayName: string; startDate: string; endDate?: string; status: string }[];
  policy: { title: string; version: string; draftedBy: string; approvedBy: string; publishedOn: string };
  obligations: { displayName: string; dueDate: string; status: string }[];
  overdue: { displayName: string; dueDate: string }[];
}

/** A JSON call to control-mapping's /v1 API with some user's token. */
type Call = (method: string, path: string, body?: unknown, contentType?: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * People and their policy acceptances, as an organization's compliance team sees them: the HR system's people file
 * is imported (two joiners, one leaver); the compliance manager adopts a policy, the admin (another person) approves
 * and publishes it; the people owe its acceptance within the configured days of their start (or the publication),
 * and the one past that day is listed overdue (the deadline sweep announces it as an event: see the int specs).
 * The service's clock ran POLICY_PUBLISHED_DAYS_AGO days behind until the publication; it is then set to now.
 */
export async function peopleWalkthrough(options: {
  tenantId: string;
  controlMappingUrl: string;
  controlMapping: ChildService;
  adminToken: string;
  admin: { username: string; personId: string; displayName: string };
}): Promise<PeopleWalkthroughResult> {
  const { tenantId, controlMappingUrl, adminToken } = options;
  const managerName = `compliance@${tenantId}.example`;
  const managerPassword = randomBytes(18).toString('base64url');
  await keycloakAdmin().createUser({
    username: managerName,
    firstName: 'Priya',
    lastName: 'Raman',
    password: managerPassword,
    tenant: tenantId,
    role: 'compliance-manager',
  });
  const admin = call(controlMappingUrl, adminToken);
  const manager = call(controlMappingUrl, await passwordToken(managerName, { password: managerPassword }));

  // Dates are real ones: the joiner started 40 days ago, the new joiner 3 days ago, the leaver left 10 days ago.
  const csv = [
    'employee_number,name,email,employment_type,start_date,end_date,manager_email,role,department',
    `E-101,Dana Whitfield,dana@${tenantId}.example,employee,${daysAgo(40)},,,Engineer,Engineering`,
    `E-102,Luis Ortega,luis@${tenantId}.example,contractor,${daysAgo(3)},,dana@${tenantId}.example,Engineer,Engineering`,
    `E-090,Hana Sato,hana@${tenantId}.example,employee,${daysAgo(400)},${daysAgo(10)},,Account Manager,Sales`,
  ].join('\n');
  const imported = await admin('POST', '/people/imports', csv, 'text/csv');

  const adopted = await manager('POST', '/policies', {
    templateId: 'access-control',
    owner: { personId: options.admin.personId, displayName: options.admin.displayName },
  });
  const policyId = adopted.policyId as string;
  await admin('POST', `/policies/${policyId}/versions/1.0.0/approve`, { approvalNote: 'Reviewed with IT.' });
  const publishedOn = daysAgo(POLICY_PUBLISHED_DAYS_AGO);
  await admin('POST', `/policies/${policyId}/versions/1.0.0/publish`, { effectiveDate: publishedOn });
  // The policy is out; the service's clock now tells the real time.
  options.controlMapping.process.kill('SIGWINCH');

  const byId = new Map<
    string,
    { displayName: string; startDate: string; endDate?: string; status: string }
  >();
  const overdue = await poll(20_000, async () => {
    const page = await admin('GET', '/policy-acceptance-obligations?status=overdue');
    return page.items.length ? (page.items as { personId: string; dueDate: string }[]) : null;
  });
  const people = (await admin('GET', '/people?limit=50')).items as {
    personId: string;
    displayName: string;
    startDate: string;
    endDate?: string;
    status: string;
  }[];
  for (const p of people) byId.set(p.personId, p);
  const name = (personId: string) => byId.get(personId)?.displayName ?? personId;
  const obligations = (await admin('GET', `/policy-acceptance-obligations?policyId=${policyId}`)).items as {
    personId: string;
    dueDate: string;
    status: string;
  }[];

  return {
    imported,
    people: people.map(({ displayName, startDate, endDate, status }) => ({
      displayName,
      startDate,
      ...(endDate ? { endDate } : {}),
      status,
    })),
    policy: {
      title: adopted.title,
      version: '1.0.0',
      draftedBy: managerName,
      approvedBy: options.admin.username,
      publishedOn,
    },
    obligations: obligations.map((o) => ({
      displayName: name(o.personId),
      dueDate: o.dueDate,
      status: o.status,
    })),
    overdue: overdue.map((o) => ({ displayName: name(o.personId), dueDate: o.dueDate })),
  };
}

function call(baseUrl: string, token: string): Call {
  return async (method, path, body, contentType = 'application/json') => {
    const res = await fetch(`${baseUrl}/v1${path}`, {
      method,
      headers: { 'Content-Type': contentType, Authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`control-mapping ${method} ${path} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}
