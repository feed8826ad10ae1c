import {
  fillPolicyTemplate,
  parsePolicyTemplate,
  placeholdersIn,
  policyTemplateById,
  policyTemplates,
} from './policy-templates';

const TEMPLATE = `---
id: demo
title: Demo Policy
version: 1.0.0
summary: Shows how templates are read.
owner: "{{policy_owner}}"
reviewFrequency: annual
controls: [GOV-01]
criteria: [CC1.1]
placeholders: [company_name, policy_owner]
---
# Demo Policy

{{company_name}} names {{ policy_owner }} as owner. {{company_name}} again.
`;

describe('parsePolicyTemplate', () => {
  it('reads the front matter and the body', () => {
    const template = parsePolicyTemplate(TEMPLATE);
    expect(template).toEqual({
      id: 'demo',
      title: 'Demo Policy',
      version: '1.0.0',
      summary: 'Shows how templates are read.',
      owner: '{{policy_owner}}',
      reviewFrequency: 'annual',
      controls: ['GOV-01'],
      criteria: ['CC1.1'],
      placeholders: ['company_name', 'policy_owner'],
      body: '# Demo Policy\n\n{{company_name}} names {{ policy_owner }} as owner. {{company_name}} again.\n',
    });
  });

  it('rejects unknown keys, missing keys and values of the wrong shape, naming the file', () => {
    expect(() =>
      parsePolicyTemplate(TEMPLATE.replace('version: 1.0.0', 'revision: third'), 'demo.md'),
    ).toThrow('demo.md: unknown keys: revision');
    expect(() =>
      parsePolicyTemplate(TEMPLATE.replace('summary: Shows how templates are read.\n', '')),
    ).toThrow('"summary" must be text');
    expect(() => parsePolicyTemplate(TEMPLATE.replace('controls: [GOV-01]', 'controls: GOV-01'))).toThrow(
      '"controls" must be a list',
    );
    expect(() => parsePolicyTemplate(TEMPLATE.replace('id: demo', 'id: [demo]'))).toThrow(
      '"id" must be text',
    );
  });

  it('fills placeholders and names the ones without a value', () => {
    const template = parsePolicyTemplate(TEMPLATE);
    expect(placeholdersIn(template.body)).toEqual(['company_name', 'policy_owner']);
    expect(fillPolicyTemplate(template, { company_name: 'Acme', policy_owner: 'CISO' })).toBe(
      '# Demo Policy\n\nAcme names CISO as owner. Acme again.\n',
    );
    expect(() => fillPolicyTemplate(template, { company_name: 'Acme' })).toThrow(
      'demo: no value for policy_owner',
    );
  });
});

describe('the shipped policy templates', () => {
  it('are read from data/policies, sorted by id', () => {
    const ids = policyTemplates().map((t) => t.id);
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect(ids).toEqual([...ids].sort());
    expect(policyTemplateById('access-control')).toMatchObject({
      title: 'Access Control Policy',
      owner: '{{policy_owner}}',
    });
    expect(policyTemplateById('no-such-policy')).toBeUndefined();
  });

  it('can all be filled in completely', () => {
    for (const template of policyTemplates()) {
      const values = Object.fromEntries(template.placeholders.map((p) => [p, `<${p}>`]));
      expect(fillPolicyTemplate(template, values)).not.toMatch(/\{\{/);
    }
  });
});
