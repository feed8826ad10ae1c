import { attestCatalog, type Catalog } from './catalog';
import { CONTROL_DOMAINS, OWNER_ROLE_TITLES, type Control } from './controls';
import type { Criterion, PointOfFocus } from './criteria';
import {
  OSCAL_VERSION,
  type OscalCatalogDocument,
  type OscalControl,
  type OscalGroup,
  type OscalPart,
  type OscalProperty,
} from './oscal-model';
import { uuidV5 } from './stable-uuid';

/** Namespace of the Attest-specific OSCAL property and part names (COSO principle, privacy role, ...). */
export const ATTEST_OSCAL_NAMESPACE = 'https://attest.dev/ns/oscal';
/** UUID namespace of the exported documents; with the document name and catalog version it gives stable UUIDs. */
export const ATTEST_CATALOG_UUID_NAMESPACE = 'a08ae40d-e842-4318-b261-3a4196bfe690';

const attestProp = (name: string, value: string | number): OscalProperty => ({
  name,
  ns: ATTEST_OSCAL_NAMESPACE,
  value: String(value),
});
const label = (value: string): OscalProperty => ({ name: 'label', value });
const oscalId = (id: string) => id.toLowerCase();

function metadata(
  catalog: Catalog,
  title: string,
  remarks: string,
): OscalCatalogDocument['catalog']['metadata'] {
  return {
    title,
    'last-modified': `${catalog.release.released}T00:00:00Z`,
    version: catalog.release.version,
    'oscal-version': OSCAL_VERSION,
    remarks,
  };
}

function documentUuid(name: string, catalog: Catalog): string {
  return uuidV5(`${name}@${catalog.release.version}`, ATTEST_CATALOG_UUID_NAMESPACE);
}

/**
 * The Trust Services Criteria as an OSCAL catalog: a group per category holding a group per series; each criterion
 * is a control with its description as the statement and its points of focus as guidance items; props carry the
 * criterion label, COSO principle, point-of-focus source and privacy roles.
 */
export function criteriaOscalCatalog(catalog: Catalog = attestCatalog): OscalCatalogDocument {
  const groups = catalog.categories
    .map((category): OscalGroup => {
      const series = catalog.series
        .filter((s) => s.category === category.id)
        .map((s): OscalGroup => ({
          id: oscalId(s.id),
          class: 'series',
          title: `${s.id} ${s.name}`,
          props: [label(s.id)],
          parts: [{ id: `${oscalId(s.id)}_ovw`, name: 'overview', prose: s.description }],
          controls: catalog.criteria.filter((c) => c.series === s.id).map(criterionControl),
        }))
        .filter((s) => (s.controls ?? []).length > 0);
      return {
        id: category.id,
        class: 'category',
        title: category.name,
        parts: [{ id: `${category.id}_ovw`, name: 'overview', prose: category.description }],
        groups: series,
      };
    })
    .filter((g) => (g.groups ?? []).length > 0);

  return {
    catalog: {
      uuid: documentUuid('tsc-criteria', catalog),
      metadata: metadata(
        catalog,
        'SOC 2 Trust Services Criteria (2017, points of focus revised 2022): Attest catalog',
        'Identifiers, structure and point-of-focus headings follow the AICPA Trust Services Criteria (2017, points ' +
          'of focus revised 2022). Descriptions and explanations are written by Attest and are not AICPA text.',
      ),
      groups,
    },
  };
}

function criterionControl(criterion: Criterion): OscalControl {
  const id = oscalId(criterion.id);
  const roles = [...new Set(criterion.pointsOfFocus.flatMap((p) => p.privacyRoles ?? []))].sort();
  return {
    id,
    class: 'criterion',
    title: criterion.shortTitle,
    props: [
      label(criterion.id),
      ...(criterion.cosoPrinciple === null ? [] : [attestProp('coso-principle', criterion.cosoPrinciple)]),
      ...roles.map((role) => attestProp('privacy-role', role)),
    ],
    parts: [
      { id: `${id}_smt`, name: 'statement', prose: criterion.description },
      {
        id: `${id}_gdn`,
        name: 'guidance',
        title: 'Points of focus',
        parts: criterion.pointsOfFocus.map((p) => pointOfFocusItem(id, p)),
      },
    ],
  };
}

function pointOfFocusItem(criterionId: string, pointOfFocus: PointOfFocus): OscalPart {
  const number = pointOfFocus.ref.split('.').pop();
  return {
    id: `${criterionId}_pof.${number}`,
    name: 'item',
    title: pointOfFocus.heading,
    props: [
      label(pointOfFocus.ref),
      attestProp('point-of-focus-source', pointOfFocus.source),
      ...(pointOfFocus.privacyRoles ?? []).map((role) => attestProp('privacy-role', role)),
    ],
    prose: pointOfFocus.explanation,
  };
}

/**
 * The control library as an OSCAL catalog: a group per domain; each control carries props for its type, nature,
 * frequency, owner role, the criteria and points of focus it addresses and its framework mappings, its description
 * as the statement and one `evidence` part per evidence item.
 */
export function controlLibraryOscalCatalog(catalog: Catalog = attestCatalog): OscalCatalogDocument {
  const targets = frameworkTargetsByControl(catalog);
  const owners = [...new Set(catalog.controls.map((c) => c.ownerRole))].sort();
  const groups = (Object.keys(CONTROL_DOMAINS) as (keyof typeof CONTROL_DOMAINS)[])
    .map((domain): OscalGroup => ({
      id: domain,
      class: 'domain',
      title: humanize(domain),
      props: [label(CONTROL_DOMAINS[domain])],
      controls: catalog.controls
        .filter((c) => c.domain === domain)
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((c) => libraryControl(c, targets.get(c.id) ?? [])),
    }))
    .filter((g) => (g.controls ?? []).length > 0);

  const document: OscalCatalogDocument = {
    catalog: {
      uuid: documentUuid('control-library', catalog),
      metadata: {
        ...metadata(
          catalog,
          'Attest SOC 2 control library',
          'Control templates an organization adopts and adapts. Criterion and point-of-focus props refer to the ' +
            'Attest Trust Services Criteria catalog exported beside this one.',
        ),
        roles: owners.map((id) => ({ id, title: OWNER_ROLE_TITLES[id] })),
      },
      groups,
    },
  };
  return document;
}

function libraryControl(control: Control, frameworkTargets: OscalProperty[]): OscalControl {
  const id = oscalId(control.id);
  return {
    id,
    class: 'control-template',
    title: control.name,
    props: [
      label(control.id),
      attestProp('type', control.type),
      attestProp('nature', control.nature),
      attestProp('frequency', control.frequency),
      attestProp('owner-role', control.ownerRole),
      ...control.criteria.map((c) => attestProp('criterion', c)),
      ...control.pointsOfFocus.map((p) => attestProp('point-of-focus', p)),
      ...frameworkTargets,
      ...control.automatedTests.map((t) => attestProp('automated-test', t)),
    ],
    parts: [
      { id: `${id}_smt`, name: 'statement', prose: control.description },
      ...control.evidence.map((e): OscalPart => ({
        id: oscalId(e.id),
        name: 'evidence',
        ns: ATTEST_OSCAL_NAMESPACE,
        title: `Evidence ${e.id}`,
        props: [label(e.id), attestProp('evidence-type', e.type), attestProp('frequency', e.frequency)],
        prose: e.description,
      })),
    ],
  };
}

function frameworkTargetsByControl(catalog: Catalog): Map<string, OscalProperty[]> {
  const result = new Map<string, OscalProperty[]>();
  for (const mapping of Object.values(catalog.frameworks)) {
    for (const { control, targets } of mapping.mappings) {
      const props = result.get(control) ?? [];
      props.push(...targets.map((t) => attestProp(`${mapping.framework.id}-target`, t)));
      result.set(control, props);
    }
  }
  return result;
}

function humanize(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
