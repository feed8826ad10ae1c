import { attestCatalog } from './catalog';
import { CONTROL_DOMAINS, controlsFor } from './controls';
import { CATEGORY_IDS } from './criteria';
import { placeholdersIn, policyTemplates } from './policy-templates';

/**
 * Facts about the AICPA Trust Services Criteria (2017, points of focus revised 2022): each criterion with the number
 * of its points of focus, numbered CCx.y.1..n in order. Identifiers and counts are facts, not AICPA text.
 */
const POINTS_OF_FOCUS_PER_CRITERION = `
  CC1.1:5 CC1.2:4 CC1.3:6 CC1.4:7 CC1.5:6 CC2.1:9 CC2.2:13 CC2.3:12 CC3.1:16 CC3.2:9 CC3.3:5 CC3.4:6 CC4.1:8
  CC4.2:3 CC5.1:6 CC5.2:4 CC5.3:6 CC6.1:13 CC6.2:3 CC6.3:4 CC6.4:4 CC6.5:1 CC6.6:4 CC6.7:4 CC6.8:5 CC7.1:5 CC7.2:4
  CC7.3:7 CC7.4:14 CC7.5:6 CC8.1:18 CC9.1:2 CC9.2:13 A1.1:3 A1.2:11 A1.3:2 C1.1:3 C1.2:2 PI1.1:3 PI1.2:3 PI1.3:5
  PI1.4:4 PI1.5:4 P1.1:7 P2.1:6 P3.1:4 P3.2:2 P4.1:1 P4.2:2 P4.3:3 P5.1:5 P5.2:4 P6.1:4 P6.2:1 P6.3:1 P6.4:3 P6.5:2
  P6.6:2 P6.7:3 P7.1:2 P8.1:6`
  .trim()
  .split(/\s+/)
  .map((entry) => {
    const [id, count] = entry.split(':');
    return { id, count: Number(count) };
  });

/** COSO 2013 principles restated by CC1-CC5. */
const COSO_PRINCIPLES: Record<string, number> = {
  'CC1.1': 1,
  'CC1.2': 2,
  'CC1.3': 3,
  'CC1.4': 4,
  'CC1.5': 5,
  'CC2.1': 13,
  'CC2.2': 14,
  'CC2.3': 15,
  'CC3.1': 6,
  'CC3.2': 7,
  'CC3.3': 8,
  'CC3.4': 9,
  'CC4.1': 16,
  'CC4.2': 17,
  'CC5.1': 10,
  'CC5.2': 11,
  'CC5.3': 12,
};

const range = (prefix: string, last: number) => Array.from({ length: last }, (_, i) => `${prefix}${i + 1}`);
const pad = (n: number) => String(n).padStart(2, '0');

/** ISO/IEC 27001:2022 Annex A: 37 organizational, 8 people, 14 physical, 34 technological controls. */
const ISO_ANNEX_A = [...range('A.5.', 37), ...range('A.6.', 8), ...range('A.7.', 14), ...range('A.8.', 34)];
const ISO_THEMES: Record<string, string> = {
  5: 'organizational',
  6: 'people',
  7: 'physical',
  8: 'technological',
};

/** NIST CSF 2.0: the 106 subcategories by category (withdrawn numbers left out). */
const CSF_SUBCATEGORIES: Record<string, number[]> = {
  'GV.OC': [1, 2, 3, 4, 5],
  'GV.RM': [1, 2, 3, 4, 5, 6, 7],
  'GV.RR': [1, 2, 3, 4],
  'GV.PO': [1, 2],
  'GV.OV': [1, 2, 3],
  'GV.SC': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  'ID.AM': [1, 2, 3, 4, 5, 7, 8],
  'ID.RA': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  'ID.IM': [1, 2, 3, 4],
  'PR.AA': [1, 2, 3, 4, 5, 6],
  'PR.AT': [1, 2],
  'PR.DS': [1, 2, 10, 11],
  'PR.PS': [1, 2, 3, 4, 5, 6],
  'PR.IR': [1, 2, 3, 4],
  'DE.CM': [1, 2, 3, 6, 9],
  'DE.AE': [2, 3, 4, 6, 7, 8],
  'RS.MA': [1, 2, 3, 4, 5],
  'RS.AN': [3, 6, 7, 8],
  'RS.CO': [2, 3],
  'RS.MI': [1, 2],
  'RC.RP': [1, 2, 3, 4, 5, 6],
  'RC.CO': [3, 4],
};
const CSF_IDS = Object.entries(CSF_SUBCATEGORIES).flatMap(([category, numbers]) =>
  numbers.map((n) => `${category}-${pad(n)}`),
);
const CSF_FUNCTIONS: Record<string, string> = {
  GV: 'govern',
  ID: 'identify',
  PR: 'protect',
  DE: 'detect',
  RS: 'respond',
  RC: 'recover',
};

const { criteria, controls, leftToOrganization, frameworks } = attestCatalog;
const allPointsOfFocus = criteria.flatMap((c) => c.pointsOfFocus);
const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe('the criteria are exactly the Trust Services Criteria', () => {
  it('has 61 criteria and 330 points of focus: CC 232, A 16, C 5, PI 19, P 58', () => {
    expect(criteria).toHaveLength(61);
    expect(allPointsOfFocus).toHaveLength(330);
    const perCategory = Object.fromEntries(
      CATEGORY_IDS.map((category) => [
        category,
        criteria.filter((c) => c.category === category).flatMap((c) => c.pointsOfFocus).length,
      ]),
    );
    expect(perCategory).toEqual({
      security: 232,
      availability: 16,
      confidentiality: 5,
      'processing-integrity': 19,
      privacy: 58,
    });
    expect(CATEGORY_IDS.map((cat) => criteria.filter((c) => c.category === cat).length)).toEqual([
      33, 3, 5, 2, 18,
    ]);
  });

  it('has exactly the criterion ids, in order, and the point-of-focus ids of the outline', () => {
    expect(criteria.map((c) => c.id)).toEqual(POINTS_OF_FOCUS_PER_CRITERION.map((c) => c.id));
    for (const { id, count } of POINTS_OF_FOCUS_PER_CRITERION) {
      const criterion = criteria.find((c) => c.id === id);
      expect(criterion?.pointsOfFocus.map((p) => p.ref)).toEqual(range(`${id}.`, count));
    }
  });

  it('has unique ids', () => {
    expect(duplicates(criteria.map((c) => c.id))).toEqual([]);
    expect(duplicates(allPointsOfFocus.map((p) => p.ref))).toEqual([]);
    expect(duplicates(attestCatalog.series.map((s) => s.id))).toEqual([]);
    expect(duplicates(attestCatalog.categories.map((c) => c.id))).toEqual([]);
  });

  it('puts each criterion in the category and series its id says', () => {
    const categoryOf = (id: string) =>
      id.startsWith('CC')
        ? 'security'
        : id.startsWith('PI')
          ? 'processing-integrity'
          : id.startsWith('A')
            ? 'availability'
            : id.startsWith('C')
              ? 'confidentiality'
              : 'privacy';
    expect(attestCatalog.categories.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    expect(attestCatalog.series.map((s) => s.id)).toEqual([
      ...range('CC', 9),
      'A1',
      'C1',
      'PI1',
      ...range('P', 8),
    ]);
    for (const c of criteria) {
      const series = attestCatalog.series.find((s) => s.id === c.series);
      expect([c.id, c.category, c.series, series?.category, series?.name]).toEqual([
        c.id,
        categoryOf(c.id),
        c.id.split('.')[0],
        c.category,
        c.seriesName,
      ]);
    }
  });

  it('gives CC1-CC5 their COSO principle and no other criterion one', () => {
    for (const c of criteria) expect([c.id, c.cosoPrinciple]).toEqual([c.id, COSO_PRINCIPLES[c.id] ?? null]);
  });

  it('tags every privacy point of focus, and only those, with controller and/or processor roles', () => {
    for (const c of criteria) {
      for (const p of c.pointsOfFocus) {
        expect([p.ref, Boolean(p.privacyRoles?.length)]).toEqual([p.ref, c.category === 'privacy']);
      }
    }
  });
});

describe('every criterion and point of focus is addressed', () => {
  const addressed = new Set(controls.flatMap((c) => c.pointsOfFocus));
  const leftRefs = new Set(leftToOrganization.map((l) => l.ref));

  it('by at least one control or by a written reason in left-to-organization.json', () => {
    const open = allPointsOfFocus
      .map((p) => p.ref)
      .filter((ref) => !addressed.has(ref) && !leftRefs.has(ref));
    expect(open).toEqual([]);
    expect(criteria.filter((c) => controlsFor(c.id).length === 0).map((c) => c.id)).toEqual([]);
  });

  it('left-to-organization.json names only real, unaddressed points of focus, once each, with a reason', () => {
    const refs = new Set(allPointsOfFocus.map((p) => p.ref));
    expect(duplicates(leftToOrganization.map((l) => l.ref))).toEqual([]);
    for (const l of leftToOrganization) {
      expect([l.ref, refs.has(l.ref), addressed.has(l.ref)]).toEqual([l.ref, true, false]);
      expect(l.reason.length).toBeGreaterThan(20);
    }
  });
});

describe('the controls', () => {
  const pointOfFocusCriterion = new Map(
    criteria.flatMap((c) => c.pointsOfFocus.map((p) => [p.ref, c.id] as const)),
  );

  it('number between 100 and 200, with unique ids PREFIX-NN matching their domain', () => {
    expect(controls.length).toBeGreaterThanOrEqual(100);
    expect(controls.length).toBeLessThanOrEqual(200);
    expect(duplicates(controls.map((c) => c.id))).toEqual([]);
    for (const c of controls) expect(c.id).toMatch(new RegExp(`^${CONTROL_DOMAINS[c.domain]}-\\d{2}$`));
  });

  it('have at least one evidence item each, with unique ids under the control id', () => {
    const evidenceIds = controls.flatMap((c) => c.evidence.map((e) => e.id));
    expect(duplicates(evidenceIds)).toEqual([]);
    for (const c of controls) {
      expect(c.evidence.length).toBeGreaterThan(0);
      for (const e of c.evidence) expect(e.id).toMatch(new RegExp(`^${c.id}-E\\d+$`));
    }
  });

  it('map to real criteria and points of focus, each point of focus under a listed criterion and vice versa', () => {
    const problems: string[] = [];
    for (const c of controls) {
      for (const ref of c.pointsOfFocus) {
        const criterion = pointOfFocusCriterion.get(ref);
        if (!criterion) problems.push(`${c.id}: unknown point of focus ${ref}`);
        else if (!c.criteria.includes(criterion)) problems.push(`${c.id}: ${ref} but not ${criterion}`);
      }
      for (const id of c.criteria) {
        if (!criteria.some((k) => k.id === id)) problems.push(`${c.id}: unknown criterion ${id}`);
        else if (!c.pointsOfFocus.some((ref) => pointOfFocusCriterion.get(ref) === id)) {
          problems.push(`${c.id}: ${id} without any of its points of focus`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the framework mappings', () => {
  const controlIds = new Set(controls.map((c) => c.id));

  it.each(Object.values(frameworks))(
    '$framework.id: targets, controls and reasons are consistent',
    (mapping) => {
      const targetIds = mapping.targets.map((t) => t.id);
      const known = new Set(targetIds);
      const mapped = new Set(mapping.mappings.flatMap((m) => m.targets));
      const notCovered = mapping.notCovered.map((n) => n.target);
      expect(duplicates(targetIds)).toEqual([]);
      expect(duplicates(mapping.mappings.map((m) => m.control))).toEqual([]);
      expect(duplicates(notCovered)).toEqual([]);
      expect(mapping.mappings.map((m) => m.control).filter((id) => !controlIds.has(id))).toEqual([]);
      expect([...mapped].filter((t) => !known.has(t))).toEqual([]);
      expect(notCovered.filter((t) => !known.has(t))).toEqual([]);
      // each target is either supported by a control or has a reason why not, never both
      expect(targetIds.filter((t) => mapped.has(t) === notCovered.includes(t))).toEqual([]);
    },
  );

  it('ISO 27001:2022: all 93 Annex A controls are targets, with their theme', () => {
    const iso = frameworks['iso27001-2022'];
    expect(iso.targets.map((t) => t.id)).toEqual(ISO_ANNEX_A);
    for (const t of iso.targets) expect([t.id, t.theme]).toEqual([t.id, ISO_THEMES[t.id.split('.')[1]]]);
  });

  it('NIST CSF 2.0: the targets are the 106 real subcategories, with their function and category', () => {
    const csf = frameworks['nist-csf-2.0'];
    expect([...csf.targets.map((t) => t.id)].sort()).toEqual([...CSF_IDS].sort());
    for (const t of csf.targets) {
      const category = t.id.split('-')[0];
      expect([t.id, t.function, t.category]).toEqual([t.id, CSF_FUNCTIONS[category.split('.')[0]], category]);
    }
  });
});

describe('the policy templates', () => {
  const templates = policyTemplates();
  const controlIds = new Set(controls.map((c) => c.id));
  const criterionIds = new Set(criteria.map((c) => c.id));

  it('have unique ids', () => {
    expect(templates.length).toBeGreaterThanOrEqual(25);
    expect(duplicates(templates.map((t) => t.id))).toEqual([]);
  });

  it.each(templates.map((t) => [t.id, t] as const))(
    '%s references only existing controls and criteria',
    (_id, t) => {
      expect(t.controls.filter((id) => !controlIds.has(id))).toEqual([]);
      expect(t.criteria.filter((id) => !criterionIds.has(id))).toEqual([]);
    },
  );

  it.each(templates.map((t) => [t.id, t] as const))(
    '%s declares exactly the placeholders it uses',
    (_id, t) => {
      const used = placeholdersIn(`${t.owner}\n${t.body}`).sort();
      expect([...t.placeholders].sort()).toEqual(used);
    },
  );
});
